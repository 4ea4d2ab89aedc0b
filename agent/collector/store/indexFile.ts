/**
 * The index beside the log: fixed 24-byte entries (time, offset, type, CRC) for every
 * keyframe, checkpoint, process list and node-name record. It is only a hint: entries
 * are written after the log is synced, checked on open and rebuilt from the log.
 */
import { crc32 } from './bytes.js';
import type { RecordType } from './records.js';

export const INDEX_ENTRY = 24;

export interface IndexEntry {
  t: number;
  offset: number;
  type: RecordType;
}

export function encodeEntry(e: IndexEntry): Buffer {
  const b = Buffer.alloc(INDEX_ENTRY);
  b.writeDoubleLE(e.t, 0);
  b.writeDoubleLE(e.offset, 8);
  b[16] = e.type;
  b.writeUInt32LE(crc32(b, 0, 20), 20);
  return b;
}

/** Decodes entries up to the first damaged one; what follows it is not trusted. */
export function decodeEntries(buf: Uint8Array): IndexEntry[] {
  const out: IndexEntry[] = [];
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let p = 0; p + INDEX_ENTRY <= b.length; p += INDEX_ENTRY) {
    if (crc32(b, p, p + 20) !== b.readUInt32LE(p + 20)) break;
    const t = b.readDoubleLE(p);
    const offset = b.readDoubleLE(p + 8);
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isFinite(t)) break;
    if (out.length && offset <= out[out.length - 1]!.offset) break;
    out.push({ t, offset, type: b[p + 16] as RecordType });
  }
  return out;
}

/** Index of the last entry with t <= at among `entries` (sorted by offset, so by time). */
export function lastAtOrBefore(entries: readonly IndexEntry[], at: number): number {
  let lo = 0;
  let hi = entries.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.t <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
