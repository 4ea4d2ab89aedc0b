/**
 * The refresh of a history window: `since` asks only for the columns from the last answer's
 * `next` on, and that answer added to the first one (shared/history/seriesMerge.ts) equals
 * a full read of the same columns, on fine columns (seconds) and on coarse ones (minute summaries).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectorPaths, type CollectorPaths } from '../collector/config.js';
import { HistoryWriter } from '../collector/store/historyWriter.js';
import { HistoryReader } from '../collector/store/historyReader.js';
import { mergeSeries, columnOf } from '../../shared/history/seriesMerge.js';
import { gridFor, recordedRange } from '../../shared/history/grid.js';
import type { HistoryMetric, HistorySeries, HistorySeriesRequest } from '../../shared/protocol/agentHistory.js';
import { historySeries, seriesOf } from './historyQueries.js';
import { NO_IO } from '../../shared/history/types.js';

const MIN = 60_000;
/** 20.5 s into a minute: ragged ends everywhere. */
const T0 = 1_700_000_060_500;
const METRICS: HistoryMetric[] = ['load', 'mem'];

let root: string;
let paths: CollectorPaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mvq-since-'));
  paths = collectorPaths({ dir: root } as never);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Seconds first..first+n-1 after T0 of the given nodes; a checkpoint at `mark` (a second). */
function write(first: number, n: number, ids: number[], mark?: number): void {
  const w = HistoryWriter.open(paths.current, 'n1', T0, { sync: false });
  if (first === 0) w.writeNodes({ t: T0, nodes: [1, 2, 3].map((id) => ({ id, host: `node${id}` })) });
  for (let s = first; s < first + n; s++) {
    const t = T0 + s * 1000;
    w.writeSamples({ t, nodes: ids.map((id) => ({ id, up: !(id === 2 && s % 50 < 5), load: ((s * 7 + id * 13) % 37) / 10, speed: 10000, cpus: 2, util: 1, tmemKb: 8e6, rmemKb: 1e6, memKb: 2e6 + ((s * id) % 999), ...NO_IO })) });
    if (s === mark) w.writeCheckpoint({ t, label: `at ${s}` });
    w.flush();
  }
  w.close();
}

function expectSameSeries(got: HistorySeries, want: HistorySeries): void {
  expect(got.first).toBe(want.first);
  expect(got.next).toBe(want.next);
  expect(got.last).toBe(want.last);
  expect(got.checkpoints).toEqual(want.checkpoints);
  expect(got.nodes.map((n) => [n.id, n.host])).toEqual(want.nodes.map((n) => [n.id, n.host]));
  for (const [i, n] of want.nodes.entries()) {
    for (const k of METRICS) {
      const g = got.nodes[i]!.series[k]!;
      const w = n.series[k]!;
      // Trailing columns without data are not sent: compare what both hold.
      const len = Math.max(g.max.length, w.max.length);
      const pad = (xs: (number | null)[]) => [...xs, ...new Array<null>(len - xs.length).fill(null)];
      expect(pad(g.min), `${k} min of node ${n.id}`).toEqual(pad(w.min));
      expect(pad(g.max), `${k} max of node ${n.id}`).toEqual(pad(w.max));
      expect(pad(g.mean), `${k} mean of node ${n.id}`).toEqual(pad(w.mean));
      for (const st of ['stats', 'settled'] as const) {
        expect({ ...g[st], avg: 0 }, `${k} ${st} of node ${n.id}`).toEqual({ ...w[st], avg: 0 });
        if (w[st].avg === null) expect(g[st].avg).toBeNull();
        else expect(g[st].avg).toBeCloseTo(w[st].avg!, 9);
      }
    }
  }
}

describe('history.series since (refresh)', () => {
  it.each([
    ['fine columns (seconds)', T0 - 500, 600, 600],
    ['coarse columns on whole minutes (summaries)', T0 - 20_500, 30 * MIN, 30],
    ['coarse columns moved to whole minutes', T0 - 500, 30 * MIN, 30],
  ])('%s: a full read plus the refreshes, merged, equal a full read', (_name, from, span, buckets) => {
    const q: HistorySeriesRequest = { from, to: from + span, buckets, metrics: METRICS };
    write(0, 190, [1, 2], 30);
    const first = historySeries(paths, q);
    expect(first.first).toBe(0);
    expect(first.next).toBe(columnStartOf(first, T0 + 189_000));
    write(190, 200, [1, 2, 3], 250); // node 3 starts reporting; a checkpoint
    const refresh = historySeries(paths, { ...q, since: first.next });
    expect(refresh.first).toBe(columnOf(first, first.next));
    expect(refresh.first).toBeGreaterThan(0);
    const merged = mergeSeries(first, refresh);
    expect(merged, 'the refresh continues the first answer').toBeDefined();
    expectSameSeries(merged!, historySeries(paths, q));
    write(390, 61, [1, 3]); // node 2 stops reporting
    const again = mergeSeries(merged!, historySeries(paths, { ...q, since: merged!.next }));
    expectSameSeries(again!, historySeries(paths, q));
  });

  it('reads only from the column of since on: the seconds (or minutes) before it are not decoded', () => {
    write(0, 600, [1, 2]);
    const fine = { from: T0, to: T0 + 600_000, buckets: 600, metrics: METRICS };
    const coarse = { from: T0 - 20_500, to: T0 - 20_500 + 30 * MIN, buckets: 30, metrics: METRICS };
    const r = HistoryReader.open(paths.current);
    try {
      const full = seriesOf(r, null, fine);
      const afterFull = r.decoded.samples;
      seriesOf(r, null, { ...fine, since: full.next });
      expect(r.decoded.samples - afterFull).toBeLessThanOrEqual(61); // from the keyframe before the last second
      const day = seriesOf(r, null, coarse);
      const { samples, summaries } = r.decoded;
      seriesOf(r, null, { ...coarse, since: day.next });
      expect(r.decoded.summaries - summaries).toBe(0); // the open column's minute is not summarised yet
      expect(r.decoded.samples - samples).toBeLessThanOrEqual(61 + 60);
    } finally {
      r.close();
    }
  });

  it('sends no columns after the last record: a day opened in its first minutes is a few columns long', () => {
    write(0, 150, [1, 2]);
    const from = T0 - 20_500; // on a minute
    const s = historySeries(paths, { from, to: from + 86_400_000, buckets: 1440, metrics: ['load'] });
    expect(s.buckets).toBe(1440);
    expect(s.next).toBe(from + 2 * MIN); // the last second, 169.5 s into the range
    for (const n of s.nodes) expect(n.series.load!.max).toHaveLength(3);
    // Equal columns need no edges on the wire.
    expect(s.edges).toBeUndefined();
  });

  it.each([
    ['before from', T0 - 1, /^since must lie within from\.\.to/],
    ['after to', T0 + 600_001, /^since must lie within from\.\.to/],
  ])('refuses since as %s, naming it', (_what, since, message) => {
    write(0, 10, [1]);
    expect(() => historySeries(paths, { from: T0, to: T0 + 600_000, buckets: 60, metrics: ['load'], since: since as number }))
      .toThrow(expect.objectContaining({ code: 'EINVAL', message: expect.stringMatching(message) }));
  });
});

describe('history.series recorded (a window opening)', () => {
  it('answers the recorded range on the round columns the window would ask for, in one request', () => {
    write(0, 40 * 60, [1, 2]);
    const s = historySeries(paths, { recorded: true, buckets: 900, metrics: ['load'] });
    const want = gridFor(recordedRange(T0, T0 + (40 * 60 - 1) * 1000), 900, true);
    expect({ from: s.from, to: s.to, buckets: s.buckets }).toEqual(want);
    expect((s.to - s.from) / s.buckets).toBe(5000);
    expect(s.nodes[0]!.series.load!.stats.samples).toBe(40 * 60);
    // The same columns asked for by number are the same answer: refreshes continue it.
    expect(historySeries(paths, { ...want, metrics: ['load'] })).toEqual(s);
  });
});

function columnStartOf(s: HistorySeries, t: number): number {
  const i = columnOf(s, t);
  return s.edges ? s.edges[i]! : s.from + i * ((s.to - s.from) / s.buckets);
}
