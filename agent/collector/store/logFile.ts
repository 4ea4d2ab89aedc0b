/** Walking the frames of a log file in chunks, so a day's log never has to fit in memory. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { checkFrame, FRAME_OVERHEAD, type RecordType } from './records.js';

export interface FrameRef {
  type: RecordType;
  /** File offset of the frame. */
  offset: number;
  /** Offset just past the frame. */
  next: number;
  payload: Uint8Array;
}

export type ScanEnd = { validEnd: number };

const CHUNK = 1 << 20;

/**
 * Calls `each` for every valid frame from `from` up to `to` (default: end of file) and
 * returns where the valid frames end. `each` returning false stops early. The payload
 * is a view into a reused buffer: copy it to keep it.
 */
export function scanFrames(fd: number, from: number, each: (f: FrameRef) => boolean | void, to?: number): ScanEnd {
  let size = to ?? fstatSync(fd).size;
  let buf = Buffer.allocUnsafe(0);
  let bufStart = from; // file offset of buf[0]
  let filled = 0;
  let pos = 0; // within buf
  for (;;) {
    const c = checkFrame(buf, pos, filled);
    if (c.ok) {
      const offset = bufStart + pos;
      const next = bufStart + c.end + 4;
      if (each({ type: c.type, offset, next, payload: buf.subarray(c.start, c.end) }) === false) return { validEnd: next };
      pos = c.end + 4;
      continue;
    }
    if (!c.partial || bufStart + filled >= size) return { validEnd: bufStart + pos };
    // Move the partial frame to the front and read more; grow for a frame bigger than a chunk.
    const keep = filled - pos;
    const want = keep >= 7 ? FRAME_OVERHEAD + buf.readUInt32LE(pos + 3) : CHUNK;
    // Never more than the rest of the file: single-frame reads stay small.
    const next = Buffer.allocUnsafe(Math.min(Math.max(CHUNK, want + CHUNK / 2), Math.max(want, size - bufStart - pos)));
    buf.copy(next, 0, pos, filled);
    bufStart += pos;
    buf = next;
    filled = keep;
    pos = 0;
    while (filled < buf.length && bufStart + filled < size) {
      const n = readSync(fd, buf, filled, Math.min(buf.length - filled, size - bufStart - filled), bufStart + filled);
      if (n <= 0) {
        // The file is shorter than it was (the writer's recovery cut a torn tail): it ends here.
        size = bufStart + filled;
        break;
      }
      filled += n;
    }
  }
}

/** Reads the single frame at `offset` (an index entry), or undefined if it is not valid. */
export function readFrameAt(fd: number, offset: number): FrameRef | undefined {
  let found: FrameRef | undefined;
  scanFrames(fd, offset, (f) => {
    found = { ...f, payload: Uint8Array.prototype.slice.call(f.payload) };
    return false;
  });
  return found;
}

export function withFile<T>(path: string, flags: string, fn: (fd: number) => T): T {
  const fd = openSync(path, flags);
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}
