/**
 * Property tests of reading and reopening a damaged history directory: whatever happened to
 * mosix.load, mosix.idx and mosix.sum (cut short, bits flipped, zeros, garbage appended,
 * a well-framed record that does not decode), readers neither throw nor hang, and the
 * writer keeps every record that lies wholly before the damage (docs/HISTORY.md).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HistoryWriter, INDEX_FILE, LOG_FILE } from './historyWriter.js';
import { HistoryReader } from './historyReader.js';
import { SUMMARY_FILE } from './summaryFile.js';
import { checkFrame, frame, RecordType } from './records.js';
import { decodeEntries } from './indexFile.js';
import type { SampleRecord } from '../../../shared/history/types.js';

const T0 = 1_700_000_017_500;
let root: string;
let run = 0;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'mvhist-prop-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rec = (s: number): SampleRecord => ({
  t: T0 + s * 1000,
  nodes: [1, 2].map((id) => ({ id, up: (s + id) % 7 !== 0, load: ((s * id) % 300) / 100, speed: 10000, cpus: 4, util: (s % 100) / 10, tmemKb: 8e6, rmemKb: 2e6 + s, memKb: 3e6 - s, diskReadBps: (s % 5) * 1024, diskWriteBps: 0, netRxBps: s * 1024, netTxBps: id * 2048 })),
});

/** A history of `n` seconds with names, process lists and checkpoints; returns its directory. */
function writeHistory(n: number): string {
  const dir = join(root, `h${run++}`);
  const w = HistoryWriter.open(dir, 'n1', T0, { sync: false });
  w.writeNodes({ t: T0, nodes: [{ id: 1, host: 'a' }, { id: 2, host: 'b' }] });
  for (let s = 0; s < n; s++) {
    w.writeSamples(rec(s));
    if (s % 40 === 0) w.writeProcs({ t: T0 + s * 1000, nodes: [{ id: 1, host: 'a', procs: [{ pid: s + 1, user: 'u', command: 'c', args: '', state: 'R', cpu: 1, rssKb: 1, where: 0 }] }] });
    if (s % 50 === 7) w.writeCheckpoint({ t: T0 + s * 1000, label: `cp${s}` });
    w.flush();
  }
  w.close();
  return dir;
}

/** Frames of a log: [start, end) and type. */
function framesOf(log: Buffer): { start: number; end: number; type: number }[] {
  const out = [];
  for (let p = 0; p < log.length; ) {
    const c = checkFrame(log, p);
    if (!c.ok) break;
    out.push({ start: p, end: c.end + 4, type: c.type });
    p = c.end + 4;
  }
  return out;
}

type Damage =
  | { kind: 'cut'; at: number }
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'zeros'; at: number; length: number }
  | { kind: 'append'; bytes: Uint8Array }
  | { kind: 'reframe'; frame: number; payload: Uint8Array };
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('zeros' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }) }),
  // Content the CRC cannot catch: a whole, checked frame whose payload is anything.
  fc.record({ kind: fc.constant('reframe' as const), frame: fc.nat(), payload: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 8 }).map((b) => b.map((x) => x | 0x80))) }),
);

/** Applies the damage; returns the offset from which the bytes are no longer what was written. */
function spoil(buf: Buffer, d: Damage): { out: Buffer; from: number } {
  if (buf.length === 0 && d.kind !== 'append') return { out: buf, from: 0 };
  switch (d.kind) {
    case 'cut': {
      const at = d.at % (buf.length + 1);
      return { out: buf.subarray(0, at), from: at };
    }
    case 'flip': {
      const out = Buffer.from(buf);
      const at = d.at % buf.length;
      out[at] = out[at]! ^ d.bits;
      return { out, from: at };
    }
    case 'zeros': {
      const out = Buffer.from(buf);
      const at = d.at % buf.length;
      const end = Math.min(buf.length, at + d.length);
      out.fill(0, at, end);
      return { out, from: out.subarray(at, end).equals(buf.subarray(at, end)) ? buf.length : at };
    }
    case 'append':
      return { out: Buffer.concat([buf, d.bytes]), from: buf.length };
    case 'reframe': {
      const frames = framesOf(buf);
      const f = frames[d.frame % Math.max(1, frames.length)];
      if (!f) return { out: buf, from: buf.length }; // mosix.idx holds no frames
      return { out: Buffer.concat([buf.subarray(0, f.start), frame(f.type, d.payload), buf.subarray(f.end)]), from: f.start };
    }
  }
}

/** Every read a GUI can ask for; none may throw. */
function readEverything(dir: string): SampleRecord[] | undefined {
  let r: HistoryReader;
  try {
    r = HistoryReader.open(dir);
  } catch (e) {
    expect(['ENOHISTORY', 'EBADHISTORY'], String(e)).toContain((e as { code?: string }).code);
    return undefined;
  }
  try {
    const out: SampleRecord[] = [];
    r.samples(-Infinity, Infinity, (x) => out.push(x));
    r.summaries(-Infinity, Infinity, () => undefined);
    r.checkpoints();
    for (const t of [...r.procTimes(), T0, T0 + 70_000]) r.procsAt(t);
    r.namesAt(T0 + 200_000);
    r.at(T0 + 30_000);
    expect(Number.isFinite(r.lastTime())).toBe(true);
    return out;
  } finally {
    r.close();
  }
}

const seconds = fc.integer({ min: 1, max: 150 });
const file = fc.constantFrom(LOG_FILE, LOG_FILE, LOG_FILE, INDEX_FILE, SUMMARY_FILE);

describe('a damaged history directory (properties)', () => {
  it('readers neither throw nor hang, whatever the damage', () => {
    fc.assert(
      fc.property(seconds, fc.array(fc.tuple(file, damage), { minLength: 1, maxLength: 3 }), (n, damages) => {
        const dir = writeHistory(n);
        for (const [name, d] of damages) {
          const path = join(dir, name);
          if (existsSync(path)) writeFileSync(path, spoil(readFileSync(path), d).out);
        }
        readEverything(dir);
        rmSync(dir, { recursive: true });
      }),
      { numRuns: 80 },
    );
  });

  it('the writer keeps every record wholly before the damage to the log, and readers get them all back', () => {
    fc.assert(
      fc.property(seconds, damage, fc.option(fc.tuple(fc.constantFrom(INDEX_FILE, SUMMARY_FILE), damage), { nil: undefined }), (n, d, other) => {
        const dir = writeHistory(n);
        const logPath = join(dir, LOG_FILE);
        const log = readFileSync(logPath);
        const { out, from } = spoil(log, d);
        writeFileSync(logPath, out);
        const frames = framesOf(log);
        const lastIndexed = decodeEntries(readFileSync(join(dir, INDEX_FILE))).pop()?.offset ?? 0;
        if (other) writeFileSync(join(dir, other[0]), spoil(readFileSync(join(dir, other[0])), other[1]).out);
        let w: HistoryWriter;
        try {
          w = HistoryWriter.open(dir, 'n1', T0, { sync: false });
        } catch (e) {
          // Only a damaged header stops it (appending would hide the new records too), and it says what to do.
          expect(from < frames[0]!.end, String(e)).toBe(true);
          const m = (e as Error).message;
          expect(m.includes(`${logPath}: `) && m.endsWith(`; move ${dir} aside to start a new history`), m).toBe(true);
          return;
        }
        w.writeSamples(rec(10_000));
        w.close();
        // Samples records whose frame ends before the damage (a re-framed one is simply skipped).
        const kept = frames.filter((f) => f.type === RecordType.Samples && f.end <= from).length;
        const got = readEverything(dir)!.map((r) => r.t);
        expect(got.slice(0, kept)).toEqual(Array.from({ length: kept }, (_, s) => rec(s).t));
        // Damage after the last indexed record is a torn tail: cut there, and the log goes on.
        if (from >= lastIndexed) expect(got[got.length - 1]).toBe(rec(10_000).t);
        rmSync(dir, { recursive: true });
      }),
      { numRuns: 80 },
    );
  });
});

describe('regressions found by the properties', () => {
  /** A history of 3 seconds followed by `extra` frames appended as they are. */
  function withFrames(...extra: Buffer[]): string {
    const dir = writeHistory(3);
    const log = join(dir, LOG_FILE);
    writeFileSync(log, Buffer.concat([readFileSync(log), ...extra]));
    return dir;
  }

  it.each([
    ['empty', Buffer.alloc(0)],
    ['unterminated varint', Buffer.from([0x80, 0x80])],
  ])('a well-framed samples record with an %s payload is skipped: readers and the writer do not hang', (_, payload) => {
    const dir = withFrames(frame(RecordType.Samples, payload));
    const r = HistoryReader.open(dir);
    expect(r.lastTime()).toBe(rec(2).t);
    r.close();
    const w = HistoryWriter.open(dir, 'n1', T0, { sync: false });
    w.writeSamples(rec(3));
    w.close();
    expect(readEverything(dir)!.map((x) => x.t)).toEqual([0, 1, 2, 3].map((s) => rec(s).t));
  });

  it('a well-framed node-names record of the wrong shape is not taken for names', () => {
    const dir = withFrames(frame(RecordType.Nodes, Buffer.from(JSON.stringify({ t: T0 + 5000, nodes: 5 }))));
    HistoryWriter.open(dir, 'n1', T0, { sync: false }).close();
    const r = HistoryReader.open(dir);
    expect(r.namesAt(T0 + 10_000)?.nodes).toEqual([{ id: 1, host: 'a' }, { id: 2, host: 'b' }]);
    r.close();
  });

  it('a header that does not decode: readers say it is not a history, the writer says what to do', () => {
    const dir = writeHistory(3);
    const logPath = join(dir, LOG_FILE);
    const log = readFileSync(logPath);
    const head = framesOf(log)[0]!;
    writeFileSync(logPath, Buffer.concat([frame(RecordType.Header, Buffer.from('{}')), log.subarray(head.end)]));
    expect(() => HistoryReader.open(dir)).toThrow(expect.objectContaining({ code: 'EBADHISTORY' }));
    expect(() => HistoryWriter.open(dir, 'n1', T0, { sync: false })).toThrow(`${logPath}: damaged header record`);
  });

  it('a header with a bad CRC before indexed records: the writer does not append where no reader can see', () => {
    const dir = writeHistory(3);
    const logPath = join(dir, LOG_FILE);
    const log = readFileSync(logPath);
    log[0] = log[0]! ^ 1;
    writeFileSync(logPath, log);
    expect(() => HistoryWriter.open(dir, 'n1', T0, { sync: false })).toThrow(`${logPath}: its first record is not a readable header; move ${dir} aside`);
  });
});
