import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryWriter, INDEX_FILE, LOG_FILE } from './historyWriter.js';
import { HistoryReader } from './historyReader.js';
import { SUMMARY_FILE } from './summaryFile.js';
import { checkFrame } from './records.js';
import { rotate, CURRENT_DIR } from './rotation.js';
import type { MinuteSummary } from './summary.js';
import { seriesOf } from '../../history/historyQueries.js';
import { MinMaxBuckets, minuteEdges } from '../../../shared/history/downsample.js';
import { HISTORY_METRICS, METRIC_ORDER } from '../../history/metrics.js';
import { MINUTE, minuteOf } from '../../../shared/history/grid.js';
import type { HistoryNodeSample, SampleRecord } from '../../../shared/history/types.js';
import type { HistoryMetric, HistorySeries } from '../../../shared/protocol/agentHistory.js';

const DAY = 86_400_000;
const METRICS: HistoryMetric[] = [...METRIC_ORDER];
/** Not on a minute: the ragged ends of every range get exercised. */
const T0 = 1_700_000_017_500;

/** Loads with fractions the log rounds, CPUs that change, memory that drifts, a node that goes down. */
function node(id: number, s: number): HistoryNodeSample {
  const up = !(id === 3 && s % 400 > 340);
  return {
    id, up, load: up ? Math.abs(Math.sin(s / 97 + id) * 3.14159) + ((s * 7 + id) % 13 === 0 ? 2.5 : 0) : 0,
    cpus: id === 2 && s % 500 > 250 ? 8 : 4, speed: 10000, util: (s % 100) / 3, tmemKb: 8_000_000,
    rmemKb: 2_000_000 + ((s * 7919 + id * 31) % 50_000), memKb: 4_000_000 + Math.round(Math.cos(s / 50 + id) * 100_000),
    diskReadBps: ((s * 31 + id) % 700) * 1000, diskWriteBps: (s % 60) * 1500, netRxBps: 45_000 + id, netTxBps: Math.round(Math.abs(Math.sin(s / 7)) * 1e6),
  };
}
const record = (t: number, s: number, ids = [1, 2, 3]): SampleRecord => ({ t, nodes: ids.map((id) => node(id, s)) });

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mvsum-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Seconds `first` .. `first + seconds - 1` after T0; `start` is when the history says it started. */
function write(d: string, seconds: number, opts: { start?: number; first?: number; spike?: (s: number, r: SampleRecord) => void } = {}): void {
  const w = HistoryWriter.open(d, 'n1', opts.start ?? T0, { sync: false });
  for (let s = opts.first ?? 0; s < (opts.first ?? 0) + seconds; s++) {
    const r = record(T0 + s * 1000, s);
    opts.spike?.(s, r);
    w.writeSamples(r);
    w.flush();
  }
  w.close();
}

const open = (d = dir) => HistoryReader.open(d);
function summaries(r: HistoryReader): MinuteSummary[] {
  const out: MinuteSummary[] = [];
  r.summaries(-Infinity, Infinity, (s) => out.push(s));
  return out;
}

/** The same columns computed from every second: what the summaries must reproduce. */
function rawSeries(r: HistoryReader, from: number, to: number, buckets: number) {
  const edges = minuteEdges(from, to, buckets);
  const per = new Map<number, Map<HistoryMetric, MinMaxBuckets>>();
  r.samples(from, to, (rec) => {
    for (const n of rec.nodes) {
      if (!n.up) continue;
      if (!per.has(n.id)) per.set(n.id, new Map(METRICS.map((k) => [k, new MinMaxBuckets(from, to, buckets, edges)])));
      for (const k of METRICS) per.get(n.id)!.get(k)!.add(rec.t, HISTORY_METRICS[k](n));
    }
  });
  return per;
}

function expectSame(got: HistorySeries, raw: ReturnType<typeof rawSeries>): void {
  expect(got.nodes.map((n) => n.id)).toEqual([...raw.keys()].sort((a, b) => a - b));
  for (const n of got.nodes) {
    for (const k of METRICS) {
      const want = raw.get(n.id)!.get(k)!;
      const s = n.series[k]!;
      expect(s.min, `${k} min of node ${n.id}`).toEqual(want.min);
      expect(s.max, `${k} max of node ${n.id}`).toEqual(want.max);
      const { avg, ...rest } = want.stats();
      expect({ ...s.stats, avg: undefined }).toEqual({ ...rest, avg: undefined });
      expect(s.stats.avg).toBeCloseTo(avg!, 6);
    }
  }
}

describe('minute summaries', () => {
  it('equal min, max, mean, time of the max and up/total counts computed from the raw seconds', () => {
    write(dir, 200);
    write(dir, 190, { first: 200 }); // a restart inside a minute: its summary still covers both parts
    const r = open();
    const sums = summaries(r);
    expect(sums.map((s) => s.t)).toEqual(Array.from({ length: sums.length }, (_, i) => minuteOf(T0) + i * MINUTE));
    expect(sums).toHaveLength(7); // T0 is 37.5 s into its minute: 7 minutes closed, the open 8th is not summarised
    for (const s of sums) {
      const secs: SampleRecord[] = [];
      r.samples(s.t, s.t + MINUTE - 1, (x) => secs.push(x));
      for (const n of s.nodes) {
        const mine = secs.flatMap((x) => x.nodes.filter((m) => m.id === n.id).map((m) => ({ t: x.t, m })));
        expect(n.total).toBe(mine.length);
        const up = mine.filter((x) => x.m.up);
        expect(n.up).toBe(up.length);
        if (!up.length) expect(n.spans).toBeUndefined();
        for (const k of up.length ? METRICS : []) {
          const vs = up.map((x) => HISTORY_METRICS[k](x.m));
          const sp = n.spans![k];
          expect(sp.min).toBe(Math.min(...vs));
          expect(sp.max).toBe(Math.max(...vs));
          expect(sp.maxT).toBe(up[vs.indexOf(Math.max(...vs))]!.t);
          expect(sp.count).toBe(vs.length);
          expect(sp.sum / sp.count).toBeCloseTo(vs.reduce((a, b) => a + b, 0) / vs.length, 9);
        }
      }
    }
    r.close();
  });

  it('a one-second spike and a one-second dip survive a whole day at screen resolution, read from summaries', () => {
    const spikeS = 43_210;
    const dipS = 61_111;
    write(dir, 86_400, {
      spike: (s, r) => {
        if (s === spikeS) r.nodes[0]!.load = 3.99 * 4; // 399 %
        if (s === dipS) r.nodes[1]!.memKb = 12;
      },
    });
    const r = open();
    const day = seriesOf(r, null, { from: T0, to: T0 + DAY, buckets: 1000, metrics: METRICS });
    // A day is ~1,440 summaries; the seconds read are the ragged ends and the open minute.
    expect(r.decoded.summaries).toBeGreaterThanOrEqual(1438);
    expect(r.decoded.samples).toBeLessThan(400);
    const load = day.nodes[0]!.series.load!;
    const col = load.max.indexOf(399);
    expect(col).toBeGreaterThanOrEqual(0);
    const uniform = new MinMaxBuckets(T0, T0 + DAY, 1000);
    expect(Math.abs(col - uniform.bucketOf(T0 + spikeS * 1000))).toBeLessThanOrEqual(1);
    expect(load.stats.peak).toBe(399);
    expect(load.stats.peakT).toBe(T0 + spikeS * 1000);
    expect(Math.min(...day.nodes[1]!.series.mem!.min.filter((v) => v !== null))).toBe(12);
    // Column for column the same as from every second.
    expectSame(day, rawSeries(r, T0, T0 + DAY, 1000));
    // Fine zoom keeps reading the seconds, of the range only.
    const before = r.decoded.samples;
    const zoom = seriesOf(r, null, { from: T0 + spikeS * 1000 - 300_000, to: T0 + spikeS * 1000 + 300_000, buckets: 1000, metrics: ['load'] });
    expect(r.decoded.samples - before).toBeLessThan(700);
    expect(zoom.nodes[0]!.series.load!.stats.peak).toBe(399);
    r.close();
  }, 60_000);

  it('crash cut at every byte of mosix.sum: readers still see every second, the writer rebuilds the same file', () => {
    write(dir, 250);
    const sum = readFileSync(join(dir, SUMMARY_FILE));
    const ends: number[] = [];
    for (let p = 0; p < sum.length; ) {
      const c = checkFrame(sum, p);
      if (!c.ok) throw new Error('bad summary file');
      ends.push((p = c.end + 4));
    }
    expect(ends).toHaveLength(4);
    const q = { from: T0, to: T0 + 300_000, buckets: 4, metrics: METRICS };
    const full = (() => {
      const r = open();
      const s = seriesOf(r, null, q);
      r.close();
      return JSON.stringify(s);
    })();
    const work = join(dir, 'cut');
    const bad = Buffer.from(sum);
    bad[ends[2]! + 20] = bad[ends[2]! + 20]! ^ 0x40; // a damaged fourth summary: like a cut before it
    for (let cut = 0; cut <= sum.length + 1; cut++) {
      const file = cut <= sum.length ? sum.subarray(0, cut) : bad;
      const whole = cut <= sum.length ? ends.filter((e) => e <= cut).length : 3;
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work);
      for (const f of [LOG_FILE, INDEX_FILE]) copyFileSync(join(dir, f), join(work, f));
      writeFileSync(join(work, SUMMARY_FILE), file);
      // Before the collector restarts: what is not summarised is read from the seconds.
      let r = open(work);
      const seen = JSON.stringify(seriesOf(r, null, q));
      if (seen !== full) expect(JSON.parse(seen), `cut at ${cut}`).toEqual(JSON.parse(full));
      r.close();
      const w = HistoryWriter.open(work, 'n1', 1, { sync: false });
      expect(w.recovery.summaryDroppedBytes, `cut at ${cut}`).toBe(file.length - (ends[whole - 1] ?? 0));
      expect(w.recovery.summariesRebuilt).toBe(4 - whole);
      w.close();
      expect(readFileSync(join(work, SUMMARY_FILE)).equals(sum), `cut at ${cut}`).toBe(true);
      r = open(work);
      expect(JSON.stringify(seriesOf(r, null, q))).toBe(full);
      r.close();
    }
  }, 120_000); // exhaustive (every byte): seconds on a quiet machine, far more on a busy one

  it('a log cut short by a crash drops the summaries of minutes it no longer holds', () => {
    write(dir, 330);
    const log = readFileSync(join(dir, LOG_FILE));
    writeFileSync(join(dir, LOG_FILE), log.subarray(0, Math.floor(log.length / 2) + 3));
    let r = open();
    const last = r.lastTime();
    expect(summaries(r).every((s) => s.t < minuteOf(last))).toBe(true);
    r.close();
    const w = HistoryWriter.open(dir, 'n1', 1, { sync: false });
    expect(w.recovery.summaryDroppedBytes).toBeGreaterThan(0);
    w.writeSamples(record(last + 61_000, 999));
    w.close();
    r = open();
    const sums = summaries(r);
    expect(sums[sums.length - 1]!.t).toBe(minuteOf(last));
    expectSame(seriesOf(r, null, { from: T0, to: T0 + DAY, buckets: 1440, metrics: METRICS }), rawSeries(r, T0, T0 + DAY, 1440));
    r.close();
  });

  it('queries across a rotation boundary: the backup and the new history each answer for their own seconds', () => {
    const cdir = join(dir, 'collector');
    const cur = join(cdir, CURRENT_DIR);
    write(cur, 630); // rotation inside a minute: the backup's last minute is never summarised
    const saved = rotate(cdir, T0 + 630_000, { rotateEveryS: 600, retentionDays: 0 })!;
    write(cur, 600, { start: T0 + 630_000, first: 630 });
    const q = { from: T0 - 120_000, to: T0 + 1_400_000, buckets: 20, metrics: METRICS };
    for (const d of [join(cdir, saved), cur]) {
      const r = open(d);
      const got = seriesOf(r, null, q);
      expect(r.decoded.summaries).toBe(d === cur ? 10 : 11);
      expect(r.decoded.samples).toBeLessThan(200);
      expectSame(got, rawSeries(r, q.from, q.to, q.buckets));
      expect(got.nodes[0]!.series.load!.stats.samples).toBe(d === cur ? 600 : 630);
      r.close();
    }
    // The minute of the boundary is split: each history holds only its own part of it.
    const boundary = minuteOf(T0 + 630_000);
    const r = open(cur);
    const first = summaries(r)[0]!;
    expect(first.t).toBe(boundary);
    expect(first.nodes[0]!.total).toBe(Math.ceil((boundary + MINUTE - (T0 + 630_000)) / 1000));
    r.close();
  });
});
