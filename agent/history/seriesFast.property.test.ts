/**
 * The day's read decodes the minute summaries into reused flat arrays (FlatSummary) and adds
 * them to the columns without an object per node or metric. On generated stores (nodes that
 * come, go and go down, ranges with ragged ends, the open minute, refreshes with `since`) its
 * answer is exactly the one of the object path it replaced: decodeSummary's NodeMinutes added
 * span by span, as seriesOf did before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HistoryWriter } from '../collector/store/historyWriter.js';
import { HistoryReader } from '../collector/store/historyReader.js';
import { MinMaxBuckets, minuteEdges } from '../../shared/history/downsample.js';
import { columnOf, columnStart } from '../../shared/history/seriesMerge.js';
import { MINUTE, minuteOf } from '../../shared/history/grid.js';
import type { HistoryMetric } from '../../shared/protocol/agentHistory.js';
import type { SampleRecord } from '../../shared/history/types.js';
import { HISTORY_METRICS, METRIC_ORDER } from './metrics.js';
import { seriesOf } from './historyQueries.js';

let root: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'mvq-fast-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The coarse read as it was: objects per summary, node and metric, added with addSpan. */
function objectPathSeries(r: HistoryReader, q: { from: number; to: number; buckets: number; metrics: HistoryMetric[]; since?: number }) {
  const { from, to, buckets, metrics } = q;
  const edges = minuteEdges(from, to, buckets);
  const grid = { from, to, buckets, edges };
  const first = q.since === undefined ? 0 : columnOf(grid, q.since);
  const readFrom = columnStart(grid, first);
  const last = Math.max(r.header.started, r.lastTime());
  const next = columnStart(grid, columnOf(grid, Math.min(to, Math.max(from, last))));
  const perNode = new Map<number, Map<HistoryMetric, MinMaxBuckets>>();
  const columns = (id: number) => {
    let m = perNode.get(id);
    if (!m) perNode.set(id, (m = new Map(metrics.map((k) => [k, new MinMaxBuckets(from, to, buckets, edges, next)]))));
    return m;
  };
  const second = (rec: SampleRecord) => {
    for (const n of rec.nodes) if (n.up) for (const k of metrics) columns(n.id).get(k)!.add(rec.t, HISTORY_METRICS[k](n));
  };
  const firstMinute = minuteOf(readFrom + MINUTE - 1);
  const end = minuteOf(to + 1);
  if (firstMinute >= end) r.samples(readFrom, to, second);
  else {
    let cursor = readFrom;
    r.summaries(firstMinute, end - MINUTE, (s) => {
      if (s.t > cursor) r.samples(cursor, s.t - 1, second);
      for (const n of s.nodes) if (n.spans) for (const k of metrics) columns(n.id).get(k)!.addSpan(s.t, n.spans[k]);
      cursor = s.t + MINUTE;
    });
    r.samples(cursor, to, second);
  }
  return [...perNode.entries()].sort(([a], [b]) => a - b).map(([id, m]) => ({
    id,
    series: Object.fromEntries([...m.entries()].map(([k, b]) => {
      const s = b.series();
      return [k, { min: s.min.slice(first), max: s.max.slice(first), mean: s.mean.slice(first), stats: b.stats(), settled: b.settledStats() }];
    })),
  }));
}

const store = fc.record({
  /** ms into the first minute: ragged ends. */
  offset: fc.integer({ min: 0, max: 59_999 }),
  seconds: fc.integer({ min: 1, max: 900 }),
  /** Per node: its id, the seconds it is recorded, and a period of being down. */
  nodes: fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 70 }), from: fc.nat(400), downEvery: fc.integer({ min: 2, max: 500 }), seed: fc.nat(1000) }),
    { minLength: 1, maxLength: 5, selector: (n) => n.id }),
});

const query = fc.record({
  metrics: fc.subarray([...METRIC_ORDER], { minLength: 1 }),
  /** The range around the store, in seconds from its start, and the share of it `since` points at. */
  from: fc.integer({ min: -200, max: 300 }),
  length: fc.integer({ min: 120, max: 1400 }),
  buckets: fc.integer({ min: 1, max: 20 }),
  since: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
});

describe('the flat summary read (properties)', () => {
  it('answers exactly what the object path answered', () => {
    let run = 0;
    let summaries = 0;
    fc.assert(
      fc.property(store, fc.array(query, { minLength: 1, maxLength: 4 }), (st, qs) => {
        const dir = join(root, `s${run++}`);
        const t0 = 1_700_000_040_000 + st.offset;
        const w = HistoryWriter.open(dir, 'n1', t0, { sync: false });
        for (let s = 0; s < st.seconds; s++) {
          const nodes = st.nodes.filter((n) => s >= n.from).map((n) => {
            const v = (s * 7919 + n.seed * 31) % 1000;
            return {
              id: n.id, up: s % n.downEvery !== 0, load: v / 97, cpus: 1 + ((s + n.seed) % 300 > 150 ? 7 : 3), speed: 10000, util: v / 10,
              tmemKb: 8_000_000, rmemKb: 1_000_000 + v * 17, memKb: 2_000_000 - v * 13 - n.seed,
              // Rates as stored (whole kB/s), varied so the I/O metrics' summaries are checked too.
              diskReadBps: v * 1024, diskWriteBps: ((v * 3) % 500) * 1024, netRxBps: ((v + n.seed) % 800) * 1024, netTxBps: (s % 60) * 1024,
            };
          });
          w.writeSamples({ t: t0 + s * 1000, nodes });
          w.flush();
        }
        w.close();
        const r = HistoryReader.open(dir);
        try {
          for (const q of qs) {
            const from = t0 + q.from * 1000;
            const to = from + q.length * 1000;
            // Columns of a minute or wider: the read that uses the summaries.
            const buckets = Math.max(1, Math.min(q.buckets, Math.floor((to - from) / MINUTE)));
            const since = q.since === null ? undefined : from + Math.floor(q.since * (to - from));
            const ask = { from, to, buckets, metrics: q.metrics, ...(since !== undefined ? { since } : {}) };
            const fast = seriesOf(r, null, ask);
            const want = objectPathSeries(r, ask);
            expect(fast.nodes.map(({ id, series }) => ({ id, series }))).toEqual(want);
          }
        } finally {
          summaries += r.decoded.summaries;
          r.close();
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
    // The runs did read summaries (not only seconds): the fast path was exercised.
    expect(summaries).toBeGreaterThan(100);
  }, 120_000);
});
