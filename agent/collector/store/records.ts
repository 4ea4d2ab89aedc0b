/**
 * The frames of the history log and the codec of each record type. The byte format is
 * documented in docs/HISTORY.md; change both together.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ByteReader, ByteWriter, crc32 } from './bytes.js';
import type {
  AlertMark, HistoryHeader, HistoryNodeSample, HistoryProc, NodeNames, NodeProcs, ProcSnapshot, SampleRecord, Checkpoint,
} from '../../../shared/history/types.js';

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
  /** Only in old mosix.sum files: a minute without the I/O rates. Never trusted: rebuilt from the log as Summary. */
  SummaryWithoutIo = 6,
  /** An alert raised or cleared (agent/collector/alerts/). */
  Alert = 7,
  /** Only in mosix.sum: one minute's min/max/sum per node and metric (summary.ts). */
  Summary = 8,
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
/** The version of the process list record's JSON; a record without `v` is version 1 (OwnProcs). */
export const PROCS_VERSION = 2;
/** A process list as a collector before version 2 wrote it: its own node's, no node named. */
export interface OwnProcs {
  t: number;
  procs: HistoryProc[];
}
const isProcList = (v: unknown) => Array.isArray(v) && v.every(isObj);
const isNodeProcs = (n: unknown) =>
  isObj(n) && Number.isInteger(n.id) && typeof n.host === 'string' && (n.missing === undefined ? isProcList(n.procs) : typeof n.missing === 'string' && n.procs === undefined);

/** Process lists repeat themselves; deflate brings a minute's list to a few kB a node. */
export const encodeProcs = (p: ProcSnapshot) => deflateRawSync(json({ v: PROCS_VERSION, t: p.t, nodes: p.nodes }));
/** Either version: readers name an OwnProcs's node (historyReader.ts procsAt). */
export function decodeProcs(b: Uint8Array): ProcSnapshot | OwnProcs {
  let text: Buffer;
  try {
    // Bounded: a few bytes of deflate can claim gigabytes.
    text = inflateRawSync(b, { maxOutputLength: MAX_PAYLOAD });
  } catch (e) {
    throw new DamagedRecord('process list', (e as Error).message);
  }
  const rec = unjson<Shape>('process list', text, (p) =>
    isTime(p.t) && (p.v === undefined ? isProcList(p.procs) : p.v === PROCS_VERSION && Array.isArray(p.nodes) && p.nodes.every(isNodeProcs)));
  if (rec.v === undefined) return { t: rec.t as number, procs: rec.procs as HistoryProc[] };
  return { t: rec.t as number, nodes: rec.nodes as NodeProcs[] };
}

type StoredField = 'load' | 'speed' | 'cpus' | 'util' | 'tmemKb' | 'rmemKb' | 'memKb' | 'diskReadBps' | 'diskWriteBps' | 'netRxBps' | 'netTxBps';

/**
 * A byte rate is kept to the kB/s (1024 bytes): finer digits change every second on an idle
 * node (its load exchange) and would cost bytes for nothing a chart can show.
 */
export const IO_UNIT_BYTES = 1024;

/**
 * The per-node fields in mask order (bit 1 << (i + 1)): the integer stored and the value it
 * reads back as. A record of the first version (without the WIDE flag) has the first 7.
 */
const FIELDS: readonly { name: StoredField; store: (v: number) => number; value: (stored: number) => number }[] = [
  { name: 'load', store: (v) => Math.round(v * 100), value: (k) => k / 100 },
  ...(['speed', 'cpus'] as const).map((name) => ({ name, store: Math.round, value: (k: number) => k })),
  { name: 'util', store: (v) => Math.round(v * 10), value: (k) => k / 10 },
  ...(['tmemKb', 'rmemKb', 'memKb'] as const).map((name) => ({ name, store: Math.round, value: (k: number) => k })),
  ...(['diskReadBps', 'diskWriteBps', 'netRxBps', 'netTxBps'] as const).map((name) => ({
    name, store: (v: number) => Math.round(v / IO_UNIT_BYTES), value: (k: number) => k * IO_UNIT_BYTES,
  })),
];
/** Fields of a record written before the I/O rates were recorded: those read back as 0. */
const FIELDS_V1 = 7;
const UP_BIT = 1;
/** Samples flags: bit 0 keyframe; bit 1 WIDE, a per-node mask as a varint over every field of FIELDS (else a u8 over the first 7). */
const KEYFRAME_FLAG = 1;
const WIDE_FLAG = 2;

/** A node's figures as a reader of the log gets them back (rounded as stored), written into `into`: what summaries are computed from. */
export function asStored(n: HistoryNodeSample, into: HistoryNodeSample): HistoryNodeSample {
  for (const f of FIELDS) into[f.name] = f.value(f.store(n[f.name]));
  return into;
}

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
    if (!b) this.last.set(id, (b = FIELDS.map(() => 0)));
    return b;
  }
}

/** Stored values this size or less keep every delta and its zigzag a safe integer. */
const MAX_VALUE = 2 ** 50;

/** The integers a record stores, checked before anything changes: a refused record must leave the deltas as the log has them. */
function storedValues(rec: SampleRecord): number[][] {
  const refuse = (what: string, v: unknown) => new RangeError(`samples at ${String(rec.t)}: ${what} ${String(v)} is not a number the history can hold`);
  if (!Number.isSafeInteger(Math.round(rec.t)) || rec.t < 0) throw refuse('time', rec.t);
  return rec.nodes.map((n) => {
    if (!Number.isSafeInteger(n.id) || n.id < 0) throw refuse('node ID', n.id);
    const values = FIELDS.map((f) => (n.up ? f.store(n[f.name]) : 0));
    const bad = values.findIndex((v) => !(Math.abs(v) <= MAX_VALUE));
    if (bad >= 0) throw refuse(`node ${n.id}'s ${FIELDS[bad]!.name}`, n[FIELDS[bad]!.name]);
    return values;
  });
}

/** Throws RangeError for a record the log cannot hold, leaving `st` as it was. */
export function encodeSamples(rec: SampleRecord, keyframe: boolean, st: SampleCodecState): Buffer {
  const stored = storedValues(rec);
  if (keyframe) st.reset();
  const w = new ByteWriter(16 + rec.nodes.length * 12);
  w.uvar(Math.round(rec.t));
  w.u8((keyframe ? KEYFRAME_FLAG : 0) | WIDE_FLAG);
  w.uvar(rec.nodes.length);
  rec.nodes.forEach((n, k) => {
    w.uvar(n.id);
    const base = st.base(n.id);
    let mask = n.up ? UP_BIT : 0;
    const values = stored[k]!;
    // A down node keeps its last values: they are meaningless and need no bytes.
    if (n.up) for (let i = 0; i < values.length; i++) if (values[i] !== base[i]) mask |= 2 << i;
    w.uvar(mask);
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
    return { t: r.uvar(), keyframe: (r.u8() & KEYFRAME_FLAG) !== 0 };
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
  const flags = r.u8();
  if (flags & KEYFRAME_FLAG) st.reset();
  const wide = (flags & WIDE_FLAG) !== 0;
  const fields = wide ? FIELDS.length : FIELDS_V1;
  const count = r.uvar();
  const nodes: HistoryNodeSample[] = [];
  for (let k = 0; k < count; k++) {
    const id = r.uvar();
    const mask = wide ? r.uvar() : r.u8();
    if (mask >= 2 << fields) throw new DamagedRecord('samples', `node ${id}'s mask ${mask} names fields the record does not have`);
    const base = st.base(id);
    for (let i = 0; i < fields; i++) if (mask & (2 << i)) base[i] = base[i]! + r.svar();
    // FIELDS' `value`s written out: a day's read decodes millions of these. The first version's seconds have no rates: 0.
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
      diskReadBps: wide ? base[7]! * IO_UNIT_BYTES : 0,
      diskWriteBps: wide ? base[8]! * IO_UNIT_BYTES : 0,
      netRxBps: wide ? base[9]! * IO_UNIT_BYTES : 0,
      netTxBps: wide ? base[10]! * IO_UNIT_BYTES : 0,
    });
  }
  if (!r.done) throw new DamagedRecord('samples', `${r.end - r.pos} bytes after the last node`);
  return { t, nodes };
}
