/**
 * The agent's kept whole reads (seriesCache.ts): opening a window again on the same columns
 * decodes only the open end of the history, and answers what a whole read answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectorPaths, type CollectorPaths } from '../collector/config.js';
import { HistoryWriter, LOG_FILE } from '../collector/store/historyWriter.js';
import { HistoryReader } from '../collector/store/historyReader.js';
import type { HistorySeries, HistorySeriesRequest } from '../../shared/protocol/agentHistory.js';
import { NO_IO } from '../../shared/history/types.js';
import { historySeries, seriesOf, warmSeriesReads } from './historyQueries.js';
import { gridFor, plotWidthFor, recordedRange } from '../../shared/history/grid.js';
import { routes, windowSizeOf } from '../../shared/windows.js';
import { SeriesCache } from './seriesCache.js';

const MIN = 60_000;
/** 20.5 s into a minute: ragged ends. */
const T0 = 1_700_000_060_500;

let root: string;
let paths: CollectorPaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mvq-cache-'));
  paths = collectorPaths({ dir: root } as never);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Seconds first..first+n-1 after `start` of nodes 1 and 2 (node 2 down now and then); a checkpoint at `mark`. */
function write(first: number, n: number, mark?: number, start = T0): void {
  const w = HistoryWriter.open(paths.current, 'n1', start, { sync: false });
  if (first === 0) w.writeNodes({ t: start, nodes: [1, 2].map((id) => ({ id, host: `node${id}` })) });
  for (let s = first; s < first + n; s++) {
    const t = start + s * 1000;
    w.writeSamples({ t, nodes: [1, 2].map((id) => ({ id, up: !(id === 2 && s % 500 < 30), load: ((s * 7 + id * 13) % 37) / 10, speed: 10000, cpus: 2, util: 1, tmemKb: 8e6, rmemKb: 1e6, memKb: 2e6 + ((s * id) % 999), ...NO_IO })) });
    if (s === mark) w.writeCheckpoint({ t, label: `at ${s}` });
    w.flush();
  }
  w.close();
}

/** The answer with every average to 9 digits: a kept read adds two stretches' sums, a whole read one. */
const rounded = (s: HistorySeries) => JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'avg' && typeof v === 'number' ? Number(v.toFixed(9)) : v))) as HistorySeries;

const DAY: HistorySeriesRequest = { recorded: true, buckets: 300, metrics: ['load', 'mem'] };

describe('the agent keeps whole reads (seriesCache)', () => {
  it('a second whole read of the same columns decodes no summary and only the open end; it equals a whole read', () => {
    write(0, 3 * 3600);
    const cache = new SeriesCache();
    const q = { from: T0 - 20_500, to: T0 - 20_500 + 4 * 60 * MIN, buckets: 120, metrics: ['load' as const] };
    const r = HistoryReader.open(paths.current);
    try {
      const first = cache.read(r, null, q);
      expect(r.decoded.summaries).toBeGreaterThan(170);
      const before = { ...r.decoded };
      const again = cache.read(r, null, q);
      expect(r.decoded.summaries - before.summaries).toBe(0);
      // From the keyframe before the last column (2 minutes wide) to the last second.
      expect(r.decoded.samples - before.samples).toBeLessThanOrEqual(3 * 60 + 1);
      expect(rounded(again)).toEqual(rounded(first));
    } finally {
      r.close();
    }
  });

  it('as the history grows (new minutes, a checkpoint, a node down), the kept read plus the new end equals a whole read', () => {
    write(0, 2 * 3600);
    const cache = new SeriesCache();
    expect(rounded(historySeries(paths, DAY, cache))).toEqual(rounded(historySeries(paths, DAY)));
    write(2 * 3600, 1000, 2 * 3600 + 500);
    const grown = historySeries(paths, DAY, cache);
    expect(grown.checkpoints).toHaveLength(1);
    expect(rounded(grown)).toEqual(rounded(historySeries(paths, DAY)));
    // The same columns asked by number (a zoom back to them) come from the same kept read.
    const byNumber = { from: grown.from, to: grown.to, buckets: grown.buckets, metrics: DAY.metrics };
    expect(rounded(historySeries(paths, { ...byNumber }, cache))).toEqual(rounded(historySeries(paths, byNumber)));
  });

  it('a read of the recorded range (a window opening) is kept: another window of the same columns decodes no summary, and equals a whole read', () => {
    write(0, 3 * 3600);
    const cache = new SeriesCache();
    historySeries(paths, { recorded: true, buckets: 300, metrics: ['mem', 'load'] }, cache);
    const r = HistoryReader.open(paths.current);
    try {
      const grid = gridFor(recordedRange(r.header.started, r.lastTime()), 300, true);
      const q = { ...grid, metrics: ['load' as const, 'mem' as const] };
      const asked = cache.read(r, null, q);
      expect(r.decoded.summaries).toBe(0);
      expect(rounded(asked)).toEqual(rounded(seriesOf(r, null, q)));
    } finally {
      r.close();
    }
  });

  it('a starting daemon warms its reads on the current history, and without one (or with a damaged one) does nothing and throws nothing', () => {
    expect(warmSeriesReads(paths, new SeriesCache())).toBe(false);
    write(0, 600);
    expect(warmSeriesReads(paths, new SeriesCache())).toBe(true);
    writeFileSync(join(paths.current, LOG_FILE), 'not a history');
    expect(warmSeriesReads(paths, new SeriesCache())).toBe(false);
  });

  it('the warming read is kept: Load history opened at its own size then reads only what is new', () => {
    write(0, 3 * 3600);
    const cache = new SeriesCache();
    expect(warmSeriesReads(paths, cache)).toBe(true);
    write(3 * 3600, 30);
    const r = HistoryReader.open(paths.current);
    try {
      const grid = gridFor(recordedRange(r.header.started, r.lastTime()), plotWidthFor(windowSizeOf(routes.loadHistory()).width), true);
      const q = { ...grid, metrics: ['load' as const] };
      const asked = cache.read(r, null, q);
      // 15 s columns: a whole read decodes all 10830 seconds; the kept one only the new ones, from the minute's keyframe on.
      expect(r.decoded.samples).toBeLessThan(200);
      expect(rounded(asked)).toEqual(rounded(seriesOf(r, null, q)));
    } finally {
      r.close();
    }
  });

  it('a new history in the same place (rotated) is read whole, not added to the old one', () => {
    write(0, 3600);
    const cache = new SeriesCache();
    historySeries(paths, DAY, cache);
    rmSync(paths.current, { recursive: true });
    write(0, 600, undefined, T0 + 10 * MIN);
    const s = historySeries(paths, DAY, cache);
    expect(s.started).toBe(T0 + 10 * MIN);
    expect(s.nodes[0]!.series.load!.stats.samples).toBe(600);
    expect(rounded(s)).toEqual(rounded(historySeries(paths, DAY)));
  });

  it('keeps at most its number of reads: the oldest is read whole again', () => {
    write(0, 3600);
    const cache = new SeriesCache(1);
    const a = { from: T0 - 20_500, to: T0 - 20_500 + 60 * MIN, buckets: 30, metrics: ['load' as const] };
    const b = { ...a, buckets: 20 };
    const r = HistoryReader.open(paths.current);
    try {
      cache.read(r, null, a);
      cache.read(r, null, b);
      const before = r.decoded.summaries;
      cache.read(r, null, a);
      expect(r.decoded.summaries - before).toBeGreaterThan(50);
    } finally {
      r.close();
    }
  });
});
