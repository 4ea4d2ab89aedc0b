/**
 * The daemon's membership in the cluster: key and map on disk, and the peer channel and
 * load exchange running whenever both are present. The daemon hands it the peer request
 * handlers, transfer landing and page-channel handler its features declare (FeatureParts); features listen to
 * the exchange here.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import { composeHandlers, type Declared } from '../../shared/rpc/composeHandlers.js';
import type { ExchangeStats, PeerRequests, TransferHeader } from '../../shared/protocol/peer.js';
import type { ClusterConfigure, ClusterInfo } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { validated } from '../../shared/protocol/validate.js';
import { PEER_VALIDATORS } from '../../shared/protocol/peer.validate.js';
import { checkKeyChange, deriveKey, readClusterKey, writeClusterKey } from './clusterSecrets.js';
import { keyId } from '../../shared/clusterKey.js';
import { clearMembership, loadMembership, readLeftAt, readMapFile, readMapOrigin, saveMembership, type Membership } from './membership.js';
import { DEFAULT_PEER_PORT, PeerNet } from './peerNet.js';
import type { PagesHandler } from './pageLink.js';
import { maxTransferBytes } from './transferHeader.js';
import { ExchangeSocket, SEQ_FILE, seqMarkFile, type ExchangeEnvelope } from './exchangeSocket.js';

/** What one feature declares for the peer channel (agent/daemon/feature.ts FeatureParts). */
export interface PeerParts {
  name: string;
  peerHandlers?: Handlers<PeerRequests>;
  transferDir?: (h: TransferHeader) => string;
  pagesHandler?: PagesHandler;
}

export class PeerService {
  net: PeerNet | undefined;
  exchange: ExchangeSocket | undefined;
  membership: Membership | undefined;
  private handlers: Handlers<PeerRequests> = {};
  private declared: Declared<Handlers<PeerRequests>>[] = [{ by: 'the peer service', handlers: { 'peer.hello': () => ({ nodeId: 0, version: '' }) } }];
  private readonly listeners = new Set<(env: ExchangeEnvelope, address: string) => void>();
  private transferDir: (h: TransferHeader) => string;
  private pagesHandler: PagesHandler | undefined;
  private lastError: string | undefined;
  /** The key the channel runs with (read at start): what cluster.info reports and a new key is checked against. */
  private key: Buffer | undefined;
  readonly port: number;
  private readonly maxTransferBytes: number;

  constructor(
    private readonly stateDir: string,
    private readonly version: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.port = Number(env.MOSIXVIEW_PEER_PORT) || DEFAULT_PEER_PORT;
    this.maxTransferBytes = maxTransferBytes(env);
    this.transferDir = (h) => join(this.stateDir, 'incoming', h.transfer);
  }

  /**
   * What the features declare for the peer channel, under each feature's name: their peer
   * requests (a name already served, peer.hello included, throws naming both owners) and
   * where incoming transfers and page channels land (one feature at most says so, each).
   */
  declareFeatures(features: readonly PeerParts[]): void {
    for (const f of features) if (f.peerHandlers) this.registerHandlers(f.name, f.peerHandlers);
    const landing = features.filter((f) => f.transferDir);
    if (landing.length > 1) throw new Error(`two features say where incoming transfers land: ${landing.map((f) => f.name).join(' and ')}: let one of them declare transferDir`);
    if (landing[0]) this.transferDir = landing[0].transferDir!;
    const pages = features.filter((f) => f.pagesHandler);
    if (pages.length > 1) throw new Error(`two features take incoming page channels: ${pages.map((f) => f.name).join(' and ')}: let one of them declare pagesHandler`);
    if (pages[0]) this.pagesHandler = pages[0].pagesHandler;
  }

  /** Whether incoming page channels have somewhere to go (a feature declared pagesHandler). */
  takesPages(): boolean {
    return this.pagesHandler !== undefined;
  }

  /** A feature's peer requests; a name already served (peer.hello included) throws, naming both owners. */
  registerHandlers(by: string, h: Handlers<PeerRequests>): void {
    const declared = [...this.declared, { by, handlers: h }];
    this.handlers = composeHandlers(declared, 'peer request');
    this.declared = declared;
  }

  /** The peer requests served (peer.hello and the features'), e.g. to check each has a validator. */
  requestNames(): string[] {
    return this.declared.flatMap((d) => Object.keys(d.handlers ?? {}));
  }

  /** Which feature serves a peer request (undefined: nobody). */
  servedBy(name: string): string | undefined {
    return this.declared.find((d) => Object.hasOwn(d.handlers ?? {}, name))?.by;
  }

  /** Where the files of an incoming transfer go. */
  transferDirOf(h: TransferHeader): string {
    return this.transferDir(h);
  }

  onExchange(cb: (env: ExchangeEnvelope, address: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /**
   * Starts the channel if this node has a key and a map; a bad map is reported, not fatal.
   * Starts run one after another: two at once (the daemon starting while a GUI configures)
   * each stopped the other's channel before it was in place and left none listening.
   */
  start(): Promise<void> {
    const run = this.starting.then(() => this.startNow());
    this.starting = run.catch(() => undefined);
    return run;
  }

  private starting: Promise<void> = Promise.resolve();

  private async startNow(): Promise<void> {
    this.stop();
    const key = readClusterKey(this.stateDir);
    this.key = key;
    try {
      this.membership = loadMembership(this.stateDir, hostname());
    } catch (e) {
      this.lastError = (e as Error).message;
      this.membership = undefined;
    }
    if (!key || !this.membership) return;
    const { selfId, nodes } = this.membership;
    const net = new PeerNet({
      selfId,
      nodes,
      key: deriveKey(key, 'peer-tls'),
      port: this.port,
      // Every peer request is checked once here (shared/protocol/peer.validate.ts), as the
      // daemon checks its clients': a bad one is an EINVAL answer naming the field, and the
      // handlers get typed parameters only.
      handlers: validated(
        {
          ...this.handlers,
          'peer.hello': () => ({ nodeId: selfId, version: this.version }),
        },
        PEER_VALIDATORS,
      ),
      transferDir: (h) => this.transferDirOf(h),
      onPages: (h, ch) => (this.pagesHandler ? this.pagesHandler(h, ch) : Promise.reject(new Error('this node takes no migrations yet'))),
      maxTransferBytes: this.maxTransferBytes,
    });
    const exchange = new ExchangeSocket(
      deriveKey(key, 'exchange-udp'),
      selfId,
      this.port,
      (env, addr) => {
        for (const l of this.listeners) l(env, addr);
      },
      Date.now,
      5000,
      seqMarkFile(join(this.stateDir, SEQ_FILE), keyId(key)),
    );
    try {
      await net.start();
      await exchange.start(net.bindAddress());
      this.net = net;
      this.exchange = exchange;
      this.lastError = undefined;
    } catch (e) {
      net.stop();
      exchange.close();
      this.lastError = `cannot listen on port ${this.port}: ${(e as Error).message}`;
    }
  }

  stop(): void {
    this.net?.stop();
    this.exchange?.close();
    this.net = undefined;
    this.exchange = undefined;
  }

  /** Checked whole before anything is written: a refused key leaves the map untouched too. */
  async configure(p: ClusterConfigure): Promise<ClusterInfo> {
    if (p.off) {
      clearMembership(this.stateDir, new Date());
    } else {
      if (p.keyHex !== undefined) checkKeyChange(this.key ?? readClusterKey(this.stateDir), p.keyHex, p.rotateFrom);
      if (p.mapText !== undefined) saveMembership(this.stateDir, p.mapText, p.nodeId, hostname(), p.by === 'gui' ? 'gui' : 'setpe');
      if (p.keyHex !== undefined) writeClusterKey(this.stateDir, p.keyHex);
    }
    await this.start();
    return this.info();
  }

  /** The key in use, for a GUI adopting it; it travels inside the GUI's SSH session only. */
  exportKey(): { keyHex: string; keyId: string } {
    const key = this.key ?? readClusterKey(this.stateDir);
    if (!key) throw new RpcError('ENOKEY', 'no cluster key is installed on this node: there is nothing to adopt');
    return { keyHex: key.toString('hex'), keyId: keyId(key) };
  }

  /** The load exchange's counters and each peer's datagrams: what a feature reads every sample, without info()'s file reads. */
  traffic(): Pick<ClusterInfo, 'exchange' | 'peers'> {
    const stats: ExchangeStats = this.exchange?.guard.stats ?? { accepted: 0, forged: 0, stale: 0, replayed: 0, ahead: 0 };
    return {
      exchange: { ...stats },
      peers: this.exchange && this.membership ? this.exchange.traffic.report(this.membership.nodes, this.membership.selfId) : [],
    };
  }

  info(): ClusterInfo {
    const key = this.key;
    const { exchange, peers } = this.traffic();
    return {
      nodeId: this.membership?.selfId ?? null,
      map: this.membership?.nodes ?? [],
      mapBy: this.membership ? readMapOrigin(this.stateDir) : null,
      ...(this.membership && readMapFile(this.stateDir) ? { mapFile: readMapFile(this.stateDir) } : {}),
      leftAt: readLeftAt(this.stateDir),
      keyInstalled: key !== undefined,
      keyId: key ? keyId(key) : null,
      listening: this.net !== undefined,
      port: this.port,
      exchange,
      peers,
      ...(this.lastError ? { problem: this.lastError } : {}),
    };
  }
}
