/**
 * The frames of the history log and the codec of each record type. The byte format is
 * documented in docs/HISTORY.md; change both together.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ByteReader, ByteWriter, crc32 } from './bytes.js';
import type { AlertMark, HistoryHeader, HistoryNodeSample, NodeNames, ProcSnapshot, SampleRecord, Checkpoint } from '../../../shared/history/types.js';

export const FORMAT_VERSION = 1;
export const MAGIC0 = 0x4d; // 'M'
export const MAGIC1 = 0x56; // 'V'
export const FRAME_HEAD = 7; // magic(2) type(1) length(4)
export const FRAME_TAIL = 4; // crc32
export const FRAME_OVERHEAD = FRAME_HEAD + FRAME_TAIL;
/** A bigger length is corruption, not a record: no record comes near it. */
export const MAX_PAYLOAD = 64 * 1024 * 1024;

export const enum RecordType {
  Header = 1,
  Samples = 2,
  Checkpoint = 3,
  Procs = 4,
  Nodes = 5,
  /** Only in mosix.sum: one minute's min/max/sum per node (summary.ts). */
  Summary = 6,
  /** An alert raised or cleared (agent/collector/alerts/). */
  Alert = 7,
}

export function frame(type: RecordType, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_OVERHEAD + payload.length);
  out[0] = MAGIC0;
  out[1] = MAGIC1;
  out[2] = type;
  out.writeUInt32LE(payload.length, 3);
  out.set(payload, FRAME_HEAD);
  out.writeUInt32LE(crc32(out, 2, FRAME_HEAD + payload.length), FRAME_HEAD + payload.length);
  return out;
}

export type FrameCheck =
  | { ok: true; type: RecordType; start: number; end: number }
  | { ok: false; partial: boolean };

/**
 * Checks the frame at `pos`. `partial` means the bytes end inside a frame that could
 * still be valid: the caller reads more, or (at the end of the file) treats it as torn.
 */
export function checkFrame(buf: Uint8Array, pos: number, end = buf.length): FrameCheck {
  if (end - pos < FRAME_HEAD) return { ok: false, partial: end - pos === 0 || buf[pos] === MAGIC0 };
  if (buf[pos] !== MAGIC0 || buf[pos + 1] !== MAGIC1) return { ok: false, partial: false };
  const len = (buf[pos + 3]! | (buf[pos + 4]! << 8) | (buf[pos + 5]! << 16)) + buf[pos + 6]! * 0x1000000;
  if (len > MAX_PAYLOAD) return { ok: false, partial: false };
  const total = FRAME_OVERHEAD + len;
  if (end - pos < total) return { ok: false, partial: true };
  const crcAt = pos + FRAME_HEAD + len;
  const stored = (buf[crcAt]! | (buf[crcAt + 1]! << 8) | (buf[crcAt + 2]! << 16) | (buf[crcAt + 3]! * 0x1000000)) >>> 0;
  if (crc32(buf, pos + 2, crcAt) !== stored) return { ok: false, partial: false };
  return { ok: true, type: buf[pos + 2] as RecordType, start: pos + FRAME_HEAD, end: crcAt };
}

/**
 * A whole frame with a good CRC whose content does not decode (a writer's bug, or damage the
 * CRC missed): readers skip it (and, for samples, the deltas up to the next keyframe).
 */
export class DamagedRecord extends Error {
  constructor(what: string, problem: string) {
    super(`damaged ${what} record: ${problem}`);
    this.name = 'DamagedRecord';
  }
}

/** The decoded record, or undefined for a DamagedRecord (which readers skip). */
export function unlessDamaged<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (e) {
    if (e instanceof DamagedRecord) return undefined;
    throw e;
  }
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
type Shape = Record<string, unknown>;
const isObj = (v: unknown): v is Shape => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

function unjson<T>(what: string, b: Uint8Array, ok: (v: Shape) => boolean): T {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'));
  } catch (e) {
    throw new DamagedRecord(what, (e as Error).message);
  }
  if (!isObj(v) || !ok(v)) throw new DamagedRecord(what, `unexpected content ${JSON.stringify(v).slice(0, 80)}`);
  return v as T;
}

export const encodeHeader = (h: HistoryHeader) => json(h);
export const decodeHeader = (b: Uint8Array) =>
  unjson<HistoryHeader>('header', b, (h) => isTime(h.v) && isTime(h.started) && typeof h.host === 'string');
export const encodeCheckpoint = (c: Checkpoint) => json(c);
export const decodeCheckpoint = (b: Uint8Array) => unjson<Checkpoint>('checkpoint', b, (c) => isTime(c.t) && typeof c.label === 'string');
export const encodeAlert = (a: AlertMark) => json(a);
export const decodeAlert = (b: Uint8Array) =>
  unjson<AlertMark>('alert', b, (a) => isTime(a.t) && (a.event === 'raised' || a.event === 'cleared') && typeof a.rule === 'string' && Number.isInteger(a.node) && typeof a.text === 'string');
export const encodeNodes = (n: NodeNames) => json(n);
export const decodeNodes = (b: Uint8Array) =>
  unjson<NodeNames>('node names', b, (n) => isTime(n.t) && Array.isArray(n.nodes) && n.nodes.every((x) => isObj(x) && Number.isInteger(x.id) && typeof x.host === 'string'));
/** Process lists repeat themselves; deflate brings a minute's list to a few kB. */
export const encodeProcs = (p: ProcSnapshot) => deflateRawSync(json(p));
export function decodeProcs(b: Uint8Array): ProcSnapshot {
  let text: Buffer;
  try {
    // Bounded: a few bytes of deflate can claim gigabytes.
    text = inflateRawSync(b, { maxOutputLength: MAX_PAYLOAD });
  } catch (e) {
    throw new DamagedRecord('process list', (e as Error).message);
  }
  return unjson<ProcSnapshot>('process list', text, (p) => isTime(p.t) && Array.isArray(p.procs) && p.procs.every(isObj));
}

/** The per-node fields in mask order, each as the integer stored (bit 1 << (i + 1)). */
const FIELDS = [
  (s: HistoryNodeSample) => Math.round(s.load * 100),
  (s: HistoryNodeSample) => Math.round(s.speed),
  (s: HistoryNodeSample) => Math.round(s.cpus),
  (s: HistoryNodeSample) => Math.round(s.util * 10),
  (s: HistoryNodeSample) => Math.round(s.tmemKb),
  (s: HistoryNodeSample) => Math.round(s.rmemKb),
  (s: HistoryNodeSample) => Math.round(s.memKb),
] as const;
const UP_BIT = 1;

/**
 * Delta state shared by encoder and decoder: the last stored integers of each node.
 * A keyframe starts from zeros, so it can be decoded without anything before it.
 */
export class SampleCodecState {
  private readonly last = new Map<number, number[]>();

  reset(): void {
    this.last.clear();
  }

  /** A copy to encode a batch with: the writer keeps it only once the batch is on disk. */
  clone(): SampleCodecState {
    const c = new SampleCodecState();
    for (const [id, b] of this.last) c.last.set(id, b.slice());
    return c;
  }

  base(id: number): number[] {
    let b = this.last.get(id);
    if (!b) this.last.set(id, (b = [0, 0, 0, 0, 0, 0, 0]));
    return b;
  }
}

const FIELD_NAMES = ['load', 'speed', 'cpus', 'util', 'tmemKb', 'rmemKb', 'memKb'] as const;
/** Stored values this size or less keep every delta and its zigzag a safe integer. */
const MAX_VALUE = 2 ** 50;

/** The integers a record stores, checked before anything changes: a refused record must leave the deltas as the log has them. */
function storedValues(rec: SampleRecord): number[][] {
  const refuse = (what: string, v: unknown) => new RangeError(`samples at ${String(rec.t)}: ${what} ${String(v)} is not a number the history can hold`);
  if (!Number.isSafeInteger(Math.round(rec.t)) || rec.t < 0) throw refuse('time', rec.t);
  return rec.nodes.map((n) => {
    if (!Number.isSafeInteger(n.id) || n.id < 0) throw refuse('node ID', n.id);
    const values = FIELDS.map((f) => (n.up ? f(n) : 0));
    const bad = values.findIndex((v) => !(Math.abs(v) <= MAX_VALUE));
    if (bad >= 0) throw refuse(`node ${n.id}'s ${FIELD_NAMES[bad]}`, n[FIELD_NAMES[bad]!]);
    return values;
  });
}

/** Throws RangeError for a record the log cannot hold, leaving `st` as it was. */
export function encodeSamples(rec: SampleRecord, keyframe: boolean, st: SampleCodecState): Buffer {
  const stored = storedValues(rec);
  if (keyframe) st.reset();
  const w = new ByteWriter(16 + rec.nodes.length * 12);
  w.uvar(Math.round(rec.t));
  w.u8(keyframe ? 1 : 0);
  w.uvar(rec.nodes.length);
  rec.nodes.forEach((n, k) => {
    w.uvar(n.id);
    const base = st.base(n.id);
    let mask = n.up ? UP_BIT : 0;
    const values = stored[k]!;
    // A down node keeps its last values: they are meaningless and need no bytes.
    if (n.up) for (let i = 0; i < values.length; i++) if (values[i] !== base[i]) mask |= 2 << i;
    w.u8(mask);
    for (let i = 0; i < values.length; i++) {
      if (mask & (2 << i)) {
        w.svar(values[i]! - base[i]!);
        base[i] = values[i]!;
      }
    }
  });
  return w.result();
}

/** Time and keyframe flag of a samples payload, without decoding the nodes; undefined if damaged. */
export function sampleHead(payload: Uint8Array): { t: number; keyframe: boolean } | undefined {
  try {
    const r = new ByteReader(payload);
    return { t: r.uvar(), keyframe: (r.u8() & 1) === 1 };
  } catch {
    return undefined;
  }
}

/** Throws DamagedRecord; `st` is then undefined until the next keyframe. */
export function decodeSamples(payload: Uint8Array, st: SampleCodecState): SampleRecord {
  try {
    return decodeSamplesOrThrow(payload, st);
  } catch (e) {
    throw e instanceof DamagedRecord ? e : new DamagedRecord('samples', (e as Error).message);
  }
}

function decodeSamplesOrThrow(payload: Uint8Array, st: SampleCodecState): SampleRecord {
  const r = new ByteReader(payload);
  const t = r.uvar();
  if (r.u8() & 1) st.reset();
  const count = r.uvar();
  const nodes: HistoryNodeSample[] = [];
  for (let k = 0; k < count; k++) {
    const id = r.uvar();
    const mask = r.u8();
    const base = st.base(id);
    for (let i = 0; i < FIELDS.length; i++) if (mask & (2 << i)) base[i] = base[i]! + r.svar();
    nodes.push({
      id,
      up: (mask & UP_BIT) === 1,
      load: base[0]! / 100,
      speed: base[1]!,
      cpus: base[2]!,
      util: base[3]! / 10,
      tmemKb: base[4]!,
      rmemKb: base[5]!,
      memKb: base[6]!,
    });
  }
  if (!r.done) throw new DamagedRecord('samples', `${r.end - r.pos} bytes after the last node`);
  return { t, nodes };
}
