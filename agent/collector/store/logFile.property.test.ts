/**
 * Property tests of walking a log file's frames in chunks: the frames found are those a
 * walk over the whole buffer finds, whatever the bytes, and a file that turns out shorter
 * than its size said (cut by the writer's recovery during a read) ends the walk.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFrameAt, scanFrames } from './logFile.js';
import { checkFrame, frame } from './records.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mvlog-prop-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Frames, pieces of frames and garbage, one after the other. */
const logBytes = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.uint8Array({ maxLength: 300 })).map(([t, p]) => frame(t, p)) },
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.uint8Array({ maxLength: 50 }), fc.nat()).map(([t, p, cut]) => { const f = frame(t, p); return f.subarray(0, cut % f.length); }) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)) },
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));

/** The frames from `from` as checkFrame finds them in the whole buffer. */
function expected(buf: Buffer, from: number): { offsets: number[]; validEnd: number } {
  const offsets: number[] = [];
  let p = from;
  for (;;) {
    const c = checkFrame(buf, p);
    if (!c.ok) return { offsets, validEnd: p };
    offsets.push(p);
    p = c.end + 4;
  }
}

function withFile<T>(bytes: Buffer, fn: (fd: number) => T): T {
  const path = join(dir, 'mosix.load');
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

describe('scanFrames (properties)', () => {
  it('finds the frames a walk over the whole file finds, from any offset, and stops where they end', () => {
    fc.assert(
      fc.property(logBytes, fc.nat(), fc.nat({ max: 1000 }), (buf, start, extra) => {
        const from = start % (buf.length + 1);
        const want = expected(buf, from);
        withFile(buf, (fd) => {
          const offsets: number[] = [];
          const end = scanFrames(fd, from, (f) => void offsets.push(f.offset));
          expect({ offsets, validEnd: end.validEnd }).toEqual(want);
          // The file is shorter than the caller believes: the same frames, and the walk ends.
          const short: number[] = [];
          expect(scanFrames(fd, from, (f) => void short.push(f.offset), buf.length + 1 + extra).validEnd).toBe(want.validEnd);
          expect(short).toEqual(want.offsets);
          const at = readFrameAt(fd, from);
          expect(at?.offset).toBe(want.offsets[0]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('regression: a partial frame at the end of a file shorter than its size said ends the walk', () => {
    const f = frame(2, Buffer.from([1, 2, 3]));
    withFile(f.subarray(0, 9), (fd) => {
      expect(scanFrames(fd, 0, () => undefined, 100)).toEqual({ validEnd: 0 });
    });
  });
});
