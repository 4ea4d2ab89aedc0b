/**
 * The agents' own network: TLS 1.2 with the cluster's pre-shared key (no certificates to
 * manage; a peer without the key fails the handshake and can send nothing), carrying
 * JSON-lines requests, or on a connection of its own a bulk transfer of files or a
 * migration's page channel (pageLink.ts).
 */
import tls from 'node:tls';
import { isIP, type Socket } from 'node:net';
import { RpcEndpoint, type Handlers } from '../../shared/rpc/rpcEndpoint.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { MapNode } from '../../shared/hpcMap.js';
import type { PeerRequests, TransferHeader, TransferResult } from '../../shared/protocol/peer.js';
import { openPages, servePages, type PagesHandler } from './pageLink.js';
import type { StreamPageChannel } from '../jobs/pageChannel.js';
import { checkHeader, DEFAULT_MAX_TRANSFER_BYTES, receiveFiles, sendFiles } from './transfer.js';
import { ConnectionCaps, DEFAULT_PEER_LIMITS, type PeerLimits } from './connectionCaps.js';
import { clientContext, tlsClientOptions, tlsServerOptions } from './peerTls.js';

export { DEFAULT_PEER_LIMITS, type PeerLimits } from './connectionCaps.js';

export const DEFAULT_PEER_PORT = 7249;
/** Connect and TLS handshake; generous, since an agent on a node pegged by jobs answers slowly. */
const CONNECT_TIMEOUT_MS = 15_000;
const REDIAL_AFTER_IDLE_MS = 5000;
const PAGES_STALL_MS = 60_000;
/** A transfer with no progress for this long is given up (its migration then fails safely). */
export const STALL_MS = 10_000;

type Client = RpcEndpoint<PeerRequests, Record<never, never>>;

export interface PeerNetOptions {
  selfId: NodeId;
  nodes: MapNode[];
  /** Derived for TLS from the cluster key. */
  key: Buffer;
  port: number;
  handlers: Handlers<PeerRequests>;
  /** Defaults: DEFAULT_PEER_LIMITS. */
  limits?: Partial<PeerLimits>;
  /** Where an incoming transfer goes; throw to refuse it. */
  transferDir(header: TransferHeader): string;
  /** The most one incoming transfer may announce (default: DEFAULT_MAX_TRANSFER_BYTES). */
  maxTransferBytes?: number;
  /** A client connection quiet for longer is dialled afresh (tests make it short). */
  redialAfterIdleMs?: number;
  /** What to do with an incoming page channel (the target side of a migration). */
  onPages?: PagesHandler;
}

export class PeerNet {
  private server: tls.Server | undefined;
  private readonly clients = new Map<NodeId, Promise<{ sock: tls.TLSSocket; ep: Client }>>();
  /** Per client connection: requests waiting on it, and when it last answered. */
  private readonly idle = new Map<NodeId, { inFlight: number; heardAt: number }>();
  private readonly current = new Map<NodeId, tls.TLSSocket>();
  private readonly open = new Set<Socket>();
  private readonly limits: PeerLimits;
  private readonly caps: ConnectionCaps;
  /** One for every dial (building one each time was most of a dial's cost). */
  private readonly clientContext = clientContext();

  constructor(private readonly opts: PeerNetOptions) {
    this.limits = { ...DEFAULT_PEER_LIMITS, ...opts.limits };
    this.caps = new ConnectionCaps(this.limits);
  }

  get selfId(): NodeId {
    return this.opts.selfId;
  }

  get nodes(): MapNode[] {
    return this.opts.nodes;
  }

  start(): Promise<void> {
    const server = tls.createServer(
      { ...tlsServerOptions(this.opts.key), handshakeTimeout: this.limits.handshakeMs },
      (sock) => this.accept(sock),
    );
    // Before the TLS server wraps the socket: over the caps it is closed unread.
    server.prependListener('connection', (raw: Socket) => {
      if (this.caps.admit(raw)) this.track(raw);
    });
    // Also a handshake that timed out: Node reports it here and leaves the socket open.
    server.on('tlsClientError', (_e, sock) => sock.destroy());
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.bindAddress(), () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Listen on this node's own map address when it is an IP: the peer port stays off other networks. */
  bindAddress(): string | undefined {
    const self = this.opts.nodes.find((n) => n.id === this.opts.selfId)?.host;
    return self && isIP(self) ? self : undefined;
  }

  stop(): void {
    this.server?.close();
    for (const s of this.open) s.destroy();
    this.clients.clear();
  }

  address(nodeId: NodeId): string {
    const n = this.opts.nodes.find((x) => x.id === nodeId);
    if (!n) throw new RpcError('ENONODE', `node ${nodeId} is not in this cluster's map`);
    return n.host;
  }

  async request<K extends keyof PeerRequests & string>(
    nodeId: NodeId,
    method: K,
    params: PeerRequests[K]['req'],
    timeoutMs = 15000,
  ): Promise<PeerRequests[K]['res']> {
    let c = this.clients.get(nodeId);
    const idle = this.idle.get(nodeId);
    // A connection quiet for a while may have died with a cut link without either end knowing
    // (TCP notices only after minutes): the next request would vanish into it. Dial afresh.
    if (c && idle && idle.inFlight === 0 && Date.now() - idle.heardAt > (this.opts.redialAfterIdleMs ?? REDIAL_AFTER_IDLE_MS)) {
      this.abandon(nodeId, c);
      c = undefined;
    }
    if (!c) {
      c = this.connectRpc(nodeId);
      this.clients.set(nodeId, c);
      c.catch(() => this.clients.delete(nodeId));
    }
    const { sock, ep } = await c;
    const use = this.idle.get(nodeId) ?? { inFlight: 0, heardAt: Date.now() };
    if (this.current.get(nodeId) === sock) this.idle.set(nodeId, use);
    use.inFlight++;
    try {
      return await ep.request(method, params, timeoutMs);
    } catch (e) {
      // A connection that swallowed a request (link cut and back) is not trusted again.
      if ((e as RpcError).code === 'ETIMEDOUT') {
        if (this.clients.get(nodeId) === c) this.abandon(nodeId, c);
        else sock.destroy();
      }
      throw e;
    } finally {
      use.inFlight--;
      use.heardAt = Date.now();
    }
  }

  /**
   * Opens the page channel of migration `id` to `nodeId` on a connection of its own; resolves
   * once the target's page server waits for the pages.
   */
  async openPages(nodeId: NodeId, id: string, onBytes?: (n: number) => void): Promise<StreamPageChannel> {
    const sock = await this.dial(nodeId);
    sock.on('error', () => undefined);
    // CRIU pauses its page stream while it dumps the rest of the job: allow for that, not for a dead link.
    sock.setTimeout(PAGES_STALL_MS, () => sock.destroy(new Error(`no page data for ${PAGES_STALL_MS / 1000} s (link to node ${nodeId} lost?)`)));
    return openPages(sock, { pages: id, from: this.opts.selfId }, onBytes);
  }

  /** Sends files to a peer on a connection of their own; resolves when all arrived intact. */
  async sendFiles(nodeId: NodeId, transfer: string, paths: string[], signal?: AbortSignal): Promise<TransferResult> {
    const sock = await this.dial(nodeId);
    // Errors surface through the transfer's own promise; a late one must not crash the agent.
    sock.on('error', () => undefined);
    // A cut link stalls TCP for many minutes: give up when nothing moves for a while.
    sock.setTimeout(STALL_MS, () => sock.destroy(new Error(`no progress for ${STALL_MS / 1000} s (link to node ${nodeId} lost?)`)));
    const abort = () => sock.destroy(new Error('transfer aborted'));
    signal?.addEventListener('abort', abort);
    try {
      return await sendFiles(sock, transfer, this.opts.selfId, paths);
    } finally {
      signal?.removeEventListener('abort', abort);
      sock.end();
    }
  }

  private dial(nodeId: NodeId): Promise<tls.TLSSocket> {
    const host = this.address(nodeId);
    return new Promise((resolve, reject) => {
      const sock = tls.connect({ host, port: this.opts.port, ...tlsClientOptions(this.opts.key, this.clientContext) });
      // No Nagle: CRIU's page-xfer and our requests wait for small answers, and Nagle with
      // delayed ACKs holds a small write back for up to 40 ms each time (a 10 MiB dump took
      // 3x the baseline's). Bulk data goes in large writes either way.
      sock.setNoDelay(true);
      const timer = setTimeout(() => sock.destroy(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
      sock.once('secureConnect', () => {
        clearTimeout(timer);
        sock.setKeepAlive(true, 1000);
        this.track(sock);
        resolve(sock);
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(new RpcError('EPEER', `cannot reach the agent of node ${nodeId} (${host}:${this.opts.port}): ${e.message}`));
      });
    });
  }

  private async connectRpc(nodeId: NodeId): Promise<{ sock: tls.TLSSocket; ep: Client }> {
    const sock = await this.dial(nodeId);
    const ep: Client = new RpcEndpoint((line) => sock.write(line), {}, { onProtocolError: () => sock.destroy() });
    sock.on('data', (d: Buffer) => ep.receive(d));
    sock.on('error', () => undefined);
    this.current.set(nodeId, sock);
    this.idle.set(nodeId, { inFlight: 0, heardAt: Date.now() });
    sock.on('close', () => {
      ep.close(`connection to the agent of node ${nodeId} was lost`);
      // Only the node's current connection: an old one closing must not drop its successor.
      if (this.current.get(nodeId) !== sock) return;
      this.current.delete(nodeId);
      this.clients.delete(nodeId);
      this.idle.delete(nodeId);
    });
    return { sock, ep };
  }

  /**
   * Forgets the node's connection at once and closes it: its close comes later, when the
   * next connection may already be dialling, and must not drop that one (it would stay open,
   * unused, one more each time: 63 peers asked after a quiet while piled up hundreds).
   */
  private abandon(nodeId: NodeId, c: Promise<{ sock: tls.TLSSocket; ep: Client }>): void {
    this.clients.delete(nodeId);
    void c.then(({ sock }) => {
      if (this.current.get(nodeId) === sock) {
        this.current.delete(nodeId);
        this.idle.delete(nodeId);
      }
      sock.destroy();
    }, () => undefined);
  }

  private track(sock: Socket): void {
    this.open.add(sock);
    sock.once('close', () => this.open.delete(sock));
  }

  /** First line decides: a transfer header, or the first request of an RPC connection. */
  private accept(sock: tls.TLSSocket): void {
    this.track(sock);
    // A peer whose link was cut never says goodbye: probe idle connections so they do not
    // pile up against the per-address cap.
    sock.setKeepAlive(true, 10_000);
    sock.setNoDelay(true);
    sock.on('error', () => undefined);
    // A connection holds a slot until it says what it is for.
    const firstLine = setTimeout(() => sock.destroy(), this.limits.firstLineMs);
    sock.once('close', () => clearTimeout(firstLine));
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(10);
      if (nl < 0) {
        if (buf.length > 1 << 20) sock.destroy();
        return;
      }
      clearTimeout(firstLine);
      sock.off('data', onData);
      sock.pause();
      const first = buf.subarray(0, nl).toString('utf8');
      const rest = buf.subarray(nl + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(first);
      } catch {
        sock.destroy();
        return;
      }
      if (parsed && typeof parsed === 'object' && 'transfer' in parsed) void this.serveTransfer(sock, parsed, rest);
      else if (parsed && typeof parsed === 'object' && 'pages' in parsed) {
        sock.setTimeout(PAGES_STALL_MS, () => sock.destroy(new Error(`no page data for ${PAGES_STALL_MS / 1000} s`)));
        servePages(sock, parsed, rest, this.opts.onPages, `node ${this.opts.selfId}`);
      } else this.serveRpc(sock, Buffer.concat([buf.subarray(0, nl + 1), rest]));
    };
    sock.on('data', onData);
  }

  private serveRpc(sock: tls.TLSSocket, initial: Buffer): void {
    const ep = new RpcEndpoint<Record<never, never>, Record<never, never>, PeerRequests>((line) => sock.write(line), this.opts.handlers, {
      onProtocolError: () => sock.destroy(),
    });
    sock.on('data', (d: Buffer) => ep.receive(d));
    sock.on('close', () => ep.close('peer went away'));
    ep.receive(initial);
    sock.resume();
  }

  private async serveTransfer(sock: tls.TLSSocket, raw: unknown, rest: Buffer): Promise<void> {
    sock.setTimeout(STALL_MS, () => sock.destroy(new Error(`no data for ${STALL_MS / 1000} s`)));
    const who = `node ${this.opts.selfId}`;
    let header: TransferHeader;
    let dir: string;
    try {
      header = checkHeader(raw, this.opts.maxTransferBytes ?? DEFAULT_MAX_TRANSFER_BYTES);
      dir = this.opts.transferDir(header);
    } catch (e) {
      this.refuse(sock, `${who} refused the transfer: ${(e as Error).message}`);
      return;
    }
    try {
      const result = await receiveFiles(sock, header, dir, rest, { who });
      sock.end(JSON.stringify({ ok: true, ...result }) + '\n');
    } catch (e) {
      this.refuse(sock, (e as Error).message);
    }
  }

  /**
   * Answers no, then reads and drops what the sender still sends until it hangs up: closing
   * with unread data would reset the connection, and the sender could lose the answer.
   */
  private refuse(sock: tls.TLSSocket, why: string): void {
    sock.end(JSON.stringify({ ok: false, error: why }) + '\n');
    sock.resume();
  }
}
