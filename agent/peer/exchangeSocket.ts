/**
 * The load exchange on UDP, as MOSIX's infod did it, but sealed: AES-256-GCM with a key
 * derived from the cluster key. A datagram that does not decrypt is forged; one held back
 * beyond maxAgeMs is stale; one whose sequence number is not above the sender's last is
 * replayed, one far above the sender's last is held back (replayGuard.ts). All are dropped
 * and counted.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { writeAtomic } from '../stateDir.js';
import type { NodeId } from '../../shared/domain/node.js';
import { ReplayGuard } from './replayGuard.js';
import { TrafficLog } from './peerTraffic.js';

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

/** Sequence marks kept across restarts: our next sequence floor, and the last taken per sender. */
export interface SeqMarks {
  send: number;
  recv: Record<string, number>;
}

export interface SeqMarkStore {
  load(): SeqMarks | undefined;
  save(m: SeqMarks): void;
}

export const SEQ_FILE = 'exchange-seq.json';

/** The marks in a file of the state dir, for one cluster key (a new key starts afresh). */
export function seqMarkFile(file: string, keyId: string): SeqMarkStore {
  return {
    load: () => {
      try {
        const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<SeqMarks> & { keyId?: string };
        const recvOk = m.recv && typeof m.recv === 'object' && Object.values(m.recv).every((v) => Number.isFinite(v));
        return m.keyId === keyId && Number.isFinite(m.send) && recvOk ? { send: m.send!, recv: m.recv! } : undefined;
      } catch {
        return undefined;
      }
    },
    save: (m) => {
      try {
        writeAtomic(file, JSON.stringify({ keyId, ...m }) + '\n');
      } catch {
        /* the marks only narrow what a replay after a restart could do; the exchange goes on */
      }
    },
  };
}

/** How far ahead of the sequence numbers sent the stored floor runs: one write per 10 s of sending. */
const SEND_RESERVE = 10_000_000;
const SAVE_EVERY_MS = 10_000;

export class ExchangeSocket {
  private sock: Socket | undefined;
  private lastSent = 0;
  private sendFloor = 0;
  private savedAt = 0;
  readonly guard: ReplayGuard;
  /** Per peer: taken and forged, for telling which node holds another key (cluster.info). */
  readonly traffic: TrafficLog;

  constructor(
    private readonly key: Buffer,
    private readonly selfId: NodeId,
    private readonly port: number,
    private readonly onMessage: (env: ExchangeEnvelope, address: string) => void,
    private readonly now: () => number = Date.now,
    maxAgeMs = 5000,
    private readonly store?: SeqMarkStore,
  ) {
    const marks = store?.load();
    this.guard = new ReplayGuard(maxAgeMs, marks?.recv);
    this.traffic = new TrafficLog(now);
    this.lastSent = this.sendFloor = marks?.send ?? 0;
  }

  start(bindAddress?: string): Promise<void> {
    const sock = createSocket({ type: 'udp4', reuseAddr: false });
    this.sock = sock;
    sock.on('message', (data, rinfo) => this.receive(data, rinfo.address));
    sock.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(this.port, bindAddress, () => {
        sock.off('error', reject);
        resolve();
      });
    });
  }

  /** One datagram: forged, stale and replayed ones are dropped and counted (guard.stats). */
  receive(data: Buffer, address: string): void {
    const env = unseal(this.key, data);
    if (!env) this.traffic.forged(address);
    if (this.guard.admit(env, this.now())) {
      this.traffic.accepted(env.from);
      this.onMessage(env, address);
      if (this.now() - this.savedAt >= SAVE_EVERY_MS) this.saveMarks();
    }
  }

  /** Sends one sealed message; returns its sequence number (undefined when not started). */
  send(address: string, body: unknown): number | undefined {
    if (!this.sock) return undefined;
    // From the clock, and above every number used before a restart, even if the clock went back.
    const seq = Math.max(this.lastSent + 1, this.now() * 1000);
    this.lastSent = seq;
    if (seq >= this.sendFloor) {
      this.sendFloor = seq + SEND_RESERVE;
      this.saveMarks();
    }
    const data = seal(this.key, { from: this.selfId, seq, t: this.now(), body });
    if (data.length > MAX_DATAGRAM) throw new Error(`exchange message of ${data.length} bytes is too large`);
    this.sock.send(data, this.port, address);
    return seq;
  }

  private saveMarks(): void {
    this.savedAt = this.now();
    this.store?.save({ send: this.sendFloor, recv: this.guard.marks() });
  }

  close(): void {
    if (this.sock) this.saveMarks();
    this.sock?.close();
    this.sock = undefined;
  }
}
