/**
 * A write that fails (full disk, I/O error, a torn write) costs the seconds it held and
 * nothing else: every other second reads back exactly, and the three files are byte for
 * byte those of a history that never saw the lost seconds.
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryWriter, INDEX_FILE, KEYFRAME_EVERY, LOG_FILE } from './historyWriter.js';
import { HistoryReader } from './historyReader.js';
import { SUMMARY_FILE } from './summaryFile.js';
import { FaultyIo } from './faultyIo.test-util.js';
import { checkFrame, RecordType, sampleHead } from './records.js';
import { ByteReader } from './bytes.js';
import { NO_IO, type HistoryNodeSample, type SampleRecord } from '../../../shared/history/types.js';

/** 37.5 s into a minute: minutes close at seconds 23 and 83. */
const T0 = 1_700_000_017_500;
const SECONDS = 130;

const node = (id: number, s: number): HistoryNodeSample => {
  const up = !(id === 3 && s % 17 < 3);
  return {
    id, up, load: up ? Math.round(Math.abs(Math.sin(s / 9 + id)) * 300) / 100 : 0, cpus: 4, speed: 10000 + id,
    util: up ? (s * 7) % 100 : 0, tmemKb: 8_000_000, rmemKb: 2_000_000 + ((s * 7919 + id) % 50_000), memKb: 4_000_000 + s * 10 - id, ...NO_IO,
  };
};
const records = Array.from({ length: SECONDS }, (_, s): SampleRecord => ({ t: T0 + s * 1000, nodes: [1, 2, 3].map((id) => node(id, s)) }));
const visible = (rs: SampleRecord[]) => rs.map((r) => ({ t: r.t, nodes: r.nodes.map((n) => (n.up ? n : { id: n.id, up: false })) }));

/** One second as the collector writes it: a process list every 30 s, the samples, a flush. */
function second(w: HistoryWriter, s: number): void {
  const r = records[s]!;
  if (s % 30 === 0) w.writeProcs({ t: r.t, nodes: [{ id: 1, host: 'a', procs: [{ pid: s + 1, user: 'u', command: `p${s}`, args: '', state: 'R', cpu: 1, rssKb: 1, where: 0 }] }] });
  w.writeSamples(r);
  w.flush();
}

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'mvfail-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

/**
 * Writes every second through `io`, calling `before[s]` first (to arm a fault); returns the
 * seconds whose write threw, the errors, and for each second whether the log's size was
 * the writer's end right after it.
 */
function writeWithFaults(io: FaultyIo, before: Record<number, () => void>) {
  const dir = join(root, 'faulty');
  const w = HistoryWriter.open(dir, 'n1', T0, { io });
  const lost: number[] = [];
  const errors: NodeJS.ErrnoException[] = [];
  const torn: number[] = [];
  for (let s = 0; s < SECONDS; s++) {
    before[s]?.();
    try {
      second(w, s);
    } catch (e) {
      lost.push(s);
      errors.push(e as NodeJS.ErrnoException);
    }
    if (statSync(join(dir, LOG_FILE)).size !== w.size) torn.push(s);
  }
  w.close();
  return { dir, lost, errors, torn };
}

/** The history of the same seconds without `skip`, written on a healthy disk. */
function reference(skip: number[]): string {
  const dir = join(root, 'reference');
  mkdirSync(dir);
  const w = HistoryWriter.open(dir, 'n1', T0);
  for (let s = 0; s < SECONDS; s++) if (!skip.includes(s)) second(w, s);
  w.close();
  return dir;
}

function keyframeTimes(dir: string): number[] {
  const log = readFileSync(join(dir, LOG_FILE));
  const out: number[] = [];
  for (let p = 0; p < log.length; ) {
    const c = checkFrame(log, p);
    if (!c.ok) throw new Error(`bad frame at ${p}`);
    if (c.type === RecordType.Samples && sampleHead(log.subarray(c.start, c.end))?.keyframe) out.push(new ByteReader(log, c.start).uvar());
    p = c.end + 4;
  }
  return out;
}

function expectSameHistory(dir: string, lost: number[]): void {
  const ref = reference(lost);
  for (const f of [LOG_FILE, INDEX_FILE, SUMMARY_FILE]) expect(readFileSync(join(dir, f)).equals(readFileSync(join(ref, f))), f).toBe(true);
  // Independent of the writer's code: the 1st, 61st, 121st... second written is a keyframe, and only they.
  const written = records.filter((_, s) => !lost.includes(s)).map((r) => r.t);
  expect(keyframeTimes(dir)).toEqual(written.filter((_, i) => i % KEYFRAME_EVERY === 0));
  const r = HistoryReader.open(dir);
  const got: SampleRecord[] = [];
  r.samples(-Infinity, Infinity, (x) => got.push(x));
  expect(r.procTimes()).toEqual([0, 30, 60, 90, 120].filter((s) => !lost.includes(s)).map((s) => records[s]!.t));
  r.close();
  expect(visible(got)).toEqual(visible(records.filter((_, s) => !lost.includes(s))));
  // Nothing for a restart to repair: no torn bytes, no missing index entry or summary.
  const again = HistoryWriter.open(dir, 'n1', T0);
  expect(again.recovery).toEqual({ droppedBytes: 0, reindexed: 0, summaryDroppedBytes: 0, summariesRebuilt: 0 });
  again.close();
}

describe('a failed write', () => {
  it('leaves a gap, never a shift: the delta state, keyframes and summaries advance only with what is on disk', () => {
    const io = new FaultyIo();
    const full = { call: 'writeSync', file: LOG_FILE, code: 'ENOSPC' } as const;
    const { dir, lost, errors, torn } = writeWithFaults(io, {
      30: () => io.fail(full), // a delta second, with a process list
      60: () => io.fail(full), // a keyframe second: the next one must be the keyframe
      61: () => io.fail({ ...full, times: Infinity }), // a full disk for a while, across a minute's end
      104: () => io.heal(),
    });
    expect(lost).toEqual([30, 60, ...Array.from({ length: 43 }, (_, i) => 61 + i)]);
    expect(torn).toEqual([]);
    expectSameHistory(dir, lost);
    expect(errors[0]!.code).toBe('ENOSPC');
    expect(errors[0]!.message).toContain(dir);
  });

  it('a failed fdatasync of the log drops that second (its pages may never reach the disk); index and summaries are retried', () => {
    const io = new FaultyIo();
    const { dir, lost, errors } = writeWithFaults(io, {
      40: () => io.fail({ call: 'fdatasyncSync', file: LOG_FILE, code: 'EIO' }),
      90: () => io.fail({ call: 'fdatasyncSync', file: INDEX_FILE, code: 'EIO' }),
      83: () => io.fail({ call: 'fdatasyncSync', file: SUMMARY_FILE, code: 'EIO' }),
      120: () => io.fail({ call: 'writeSync', file: INDEX_FILE, code: 'ENOSPC', written: 10 }),
    });
    expect(io.failed.fdatasyncSync).toBe(3);
    expectSameHistory(dir, [40]);
    expect(lost).toEqual([40]);
    expect(errors[0]!.code).toBe('EIO');
  });

  it('a torn or short write is cut off before the next append, also when the first cut fails', () => {
    const io = new FaultyIo();
    const log = (f: object) => io.fail({ call: 'writeSync', file: LOG_FILE, code: 'ENOSPC', ...f });
    const { dir, lost, torn } = writeWithFaults(io, {
      20: () => log({ written: 5 }),
      50: () => (log({ written: 7, short: true }), log({})),
      80: () => (log({ written: 9 }), io.fail({ call: 'ftruncateSync', file: LOG_FILE, code: 'EIO' })),
      // The frames are whole and their CRCs good: left after the end they would be read.
      110: () => (io.fail({ call: 'fdatasyncSync', file: LOG_FILE, code: 'EIO' }), io.fail({ call: 'ftruncateSync', file: LOG_FILE, code: 'EIO', times: 2 })),
    });
    // 111 cannot be appended while what 110 left behind cannot be cut off.
    expect(lost).toEqual([20, 50, 80, 110, 111]);
    expectSameHistory(dir, lost);
    expect(torn).toEqual([80, 110, 111]);
  });
});
