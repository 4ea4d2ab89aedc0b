import { describe, expect, it } from 'vitest';
import type { HistorySeries, NodeMetricSeries } from '../protocol/agentHistory.js';
import { columnOf, columnStart, continues, mergeSeries } from './seriesMerge.js';

// Ten columns of 10 ms from 0 to 100.
const grid = { backup: null, started: 0, from: 0, to: 100, buckets: 10 };
const stats = (avg: number | null, peak: number | null, peakT: number | null, samples: number) => ({ avg, peak, peakT, samples });
/** The mean of a column is taken as its minimum here: merging treats all three arrays alike. */
const metric = (min: (number | null)[], max: (number | null)[], st: ReturnType<typeof stats>, settled: ReturnType<typeof stats>): NodeMetricSeries =>
  ({ min, max, mean: min, stats: st, settled });

const first: HistorySeries = {
  ...grid, last: 34, first: 0, next: 30, checkpoints: [{ t: 5, label: 'a' }, { t: 31, label: 'open column' }],
  nodes: [
    { id: 1, host: 'one', series: { load: metric([1, 2, 3, 4], [1, 2, 3, 9], stats(4, 9, 33, 8), stats(2, 3, 21, 6)) } },
    { id: 2, host: 'two', series: { load: metric([5, null, null, 5], [5, null, null, 5], stats(5, 5, 1, 2), stats(5, 5, 1, 1)) } },
  ],
};
// The refresh: columns 3..5, node 2 gone quiet, node 3 new.
const refresh: HistorySeries = {
  ...grid, last: 52, first: 3, next: 50, checkpoints: [{ t: 31, label: 'open column' }, { t: 44, label: 'b' }],
  nodes: [
    { id: 1, host: 'one', series: { load: metric([4, 6, 7], [9, 6, 8], stats(7, 9, 33, 5), stats(6.5, 9, 33, 4)) } },
    { id: 3, host: 'three', series: { load: metric([null, 1, 2], [null, 1, 2], stats(1.5, 2, 51, 2), stats(1, 1, 41, 1)) } },
  ],
};

describe('adding a refresh to the shown series', () => {
  it('keeps the columns before the refresh, takes the rest from it, and pads a new node', () => {
    const m = mergeSeries(first, refresh)!;
    expect(m.first).toBe(0);
    expect(m.next).toBe(50);
    expect(m.last).toBe(52);
    expect(m.nodes.map((n) => n.id)).toEqual([1, 2, 3]);
    expect(m.nodes[0]!.series.load!.min).toEqual([1, 2, 3, 4, 6, 7]);
    expect(m.nodes[0]!.series.load!.max).toEqual([1, 2, 3, 9, 6, 8]);
    expect(m.nodes[0]!.series.load!.mean).toEqual([1, 2, 3, 4, 6, 7]);
    expect(m.nodes[2]!.series.load!.mean).toEqual([null, null, null, null, 1, 2]);
    expect(m.nodes[1]!.series.load!.max).toEqual([5, null, null]); // nothing of node 2 since column 3
    expect(m.nodes[2]!.series.load!.max).toEqual([null, null, null, null, 1, 2]);
    expect(m.nodes[2]!.host).toBe('three');
  });
  it('adds the stats of the settled columns kept to those of the refresh; the earliest peak wins a tie', () => {
    const m = mergeSeries(first, refresh)!;
    const one = m.nodes[0]!.series.load!;
    expect(one.stats.samples).toBe(11);
    expect(one.stats.avg).toBeCloseTo((2 * 6 + 7 * 5) / 11, 12);
    expect([one.stats.peak, one.stats.peakT]).toEqual([9, 33]);
    expect(one.settled).toEqual({ avg: (2 * 6 + 6.5 * 4) / 10, peak: 9, peakT: 33, samples: 10 });
    // Node 2 had nothing since: its stats are those of its settled columns alone.
    expect(m.nodes[1]!.series.load!.stats).toEqual(stats(5, 5, 1, 1));
    const tie = mergeSeries(first, { ...refresh, nodes: [{ id: 1, host: 'one', series: { load: metric([3], [3], stats(3, 3, 30, 1), stats(null, null, null, 0)) } }] })!;
    expect(tie.nodes[0]!.series.load!.stats.peakT).toBe(21);
  });
  it('keeps the alert marks before the refreshed columns and takes the others from the refresh, once each', () => {
    const mark = (t: number, text: string) => ({ t, event: 'raised' as const, rule: 'load', node: 2, text });
    const merged = mergeSeries({ ...first, alerts: [mark(5, 'a'), mark(31, 'open')] }, { ...refresh, alerts: [mark(31, 'open'), mark(44, 'b')] });
    expect(merged!.alerts!.map((a) => a.text)).toEqual(['a', 'open', 'b']);
  });

  it('keeps the checkpoints before the refreshed columns and takes the others from the refresh, once each', () => {
    expect(mergeSeries(first, refresh)!.checkpoints.map((c) => c.label)).toEqual(['a', 'open column', 'b']);
  });
  it('refuses an answer that does not continue the series: a rotated history, other columns, another start', () => {
    expect(continues(first, refresh)).toBe(true);
    expect(mergeSeries(first, { ...refresh, started: 1 })).toBeUndefined();
    expect(mergeSeries(first, { ...refresh, backup: 'mosixview-20240301-120000' })).toBeUndefined();
    expect(mergeSeries(first, { ...refresh, buckets: 20 })).toBeUndefined();
    expect(mergeSeries(first, { ...refresh, to: 200 })).toBeUndefined();
    expect(mergeSeries(first, { ...refresh, first: 2 })).toBeUndefined();
    expect(mergeSeries(first, { ...refresh, edges: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100] })).toBeUndefined();
  });
  it('chains: a second refresh continues the merged series', () => {
    const m = mergeSeries(first, refresh)!;
    const again: HistorySeries = {
      ...grid, last: 61, first: 5, next: 60, checkpoints: [],
      nodes: [{ id: 1, host: 'one', series: { load: metric([7, 1], [8, 1], stats(5, 8, 55, 3), stats(6, 8, 55, 2)) } }],
    };
    const m2 = mergeSeries(m, again)!;
    expect(m2.nodes[0]!.series.load!.max).toEqual([1, 2, 3, 9, 6, 8, 1]);
    expect(m2.nodes[0]!.series.load!.stats.samples).toBe(10 + 3);
  });
});

describe('columns', () => {
  it('count times as the agent does, on equal columns and on given edges', () => {
    expect([0, 9.99, 10, 55, 100, 150, -5].map((t) => columnOf(grid, t))).toEqual([0, 0, 1, 5, 9, 9, 0]);
    const moved = { from: 0, to: 100, buckets: 3, edges: [0, 20, 70, 100] };
    expect([0, 19, 20, 69, 70, 100].map((t) => columnOf(moved, t))).toEqual([0, 0, 1, 1, 2, 2]);
    expect([0, 1, 3].map((i) => columnStart(moved, i))).toEqual([0, 20, 100]);
    expect(columnStart(grid, 4)).toBe(40);
  });
});
