/**
 * The load exchange on UDP, as MOSIX's infod did it, but sealed: AES-256-GCM with a key
 * derived from the cluster key. A datagram that does not decrypt is forged; one older than
 * maxAgeMs is stale; one whose sequence number is not above the sender's last is replayed.
 * All three are dropped and counted.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { NodeId } from '../../shared/domain/node.js';
import type { ExchangeStats } from '../../shared/protocol/peer.js';

const VERSION = 1;
const AAD = Buffer.from('mosixview-exchange-v1');
const NONCE = 12;
const TAG = 16;
export const MAX_DATAGRAM = 60000;

export interface ExchangeEnvelope {
  from: NodeId;
  seq: number;
  /** Sender's clock, ms. */
  t: number;
  body: unknown;
}

export function seal(key: Buffer, env: ExchangeEnvelope): Buffer {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(AAD);
  const body = Buffer.concat([c.update(JSON.stringify(env), 'utf8'), c.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, body, c.getAuthTag()]);
}

/** The envelope, or undefined when the datagram was not sealed with this key. */
export function unseal(key: Buffer, data: Buffer): ExchangeEnvelope | undefined {
  if (data.length < 1 + NONCE + TAG + 2 || data[0] !== VERSION) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, data.subarray(1, 1 + NONCE));
    d.setAAD(AAD);
    d.setAuthTag(data.subarray(data.length - TAG));
    const plain = Buffer.concat([d.update(data.subarray(1 + NONCE, data.length - TAG)), d.final()]);
    const env = JSON.parse(plain.toString('utf8')) as ExchangeEnvelope;
    return Number.isInteger(env.from) && Number.isFinite(env.seq) && Number.isFinite(env.t) ? env : undefined;
  } catch {
    return undefined;
  }
}

/** Decides about one unsealed envelope; pure apart from its own memory of sequence numbers. */
export class ReplayGuard {
  private readonly lastSeq = new Map<NodeId, number>();
  readonly stats: ExchangeStats = { accepted: 0, forged: 0, stale: 0, replayed: 0 };

  constructor(private readonly maxAgeMs = 5000) {}

  admit(env: ExchangeEnvelope | undefined, now: number): env is ExchangeEnvelope {
    if (!env) {
      this.stats.forged++;
      return false;
    }
    if (Math.abs(now - env.t) > this.maxAgeMs) {
      this.stats.stale++;
      return false;
    }
    if (env.seq <= (this.lastSeq.get(env.from) ?? -Infinity)) {
      this.stats.replayed++;
      return false;
    }
    this.lastSeq.set(env.from, env.seq);
    this.stats.accepted++;
    return true;
  }
}

export class ExchangeSocket {
  private sock: Socket | undefined;
  private lastSent = 0;
  readonly guard: ReplayGuard;

  constructor(
    private readonly key: Buffer,
    private readonly selfId: NodeId,
    private readonly port: number,
    private readonly onMessage: (env: ExchangeEnvelope, address: string) => void,
    private readonly now: () => number = Date.now,
    maxAgeMs = 5000,
  ) {
    this.guard = new ReplayGuard(maxAgeMs);
  }

  start(bindAddress?: string): Promise<void> {
    const sock = createSocket({ type: 'udp4', reuseAddr: false });
    this.sock = sock;
    sock.on('message', (data, rinfo) => {
      const env = unseal(this.key, data);
      if (this.guard.admit(env, this.now())) this.onMessage(env, rinfo.address);
    });
    sock.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(this.port, bindAddress, () => {
        sock.off('error', reject);
        resolve();
      });
    });
  }

  send(address: string, body: unknown): void {
    if (!this.sock) return;
    // Sequence numbers start from the clock, so a restarted sender is not taken for a replayer.
    const seq = Math.max(this.lastSent + 1, this.now() * 1000);
    this.lastSent = seq;
    const data = seal(this.key, { from: this.selfId, seq, t: this.now(), body });
    if (data.length > MAX_DATAGRAM) throw new Error(`exchange message of ${data.length} bytes is too large`);
    this.sock.send(data, this.port, address);
  }

  close(): void {
    this.sock?.close();
    this.sock = undefined;
  }
}
