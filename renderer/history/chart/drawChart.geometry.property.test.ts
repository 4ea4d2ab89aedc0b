/**
 * The line geometry in typed arrays (lineGeometry.ts columnsX, nodeYs, traceBand, traceLine)
 * draws what the arrays of points drew before (drawChart.before.test-util.ts, bands as bars): the same canvas
 * calls with the same numbers, on generated charts with gaps, lone columns, minute edges,
 * refresh answers (first > 0), zoomed ranges, scales, levels and a highlighted node.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HistorySeries } from '../../../shared/protocol/agentHistory.js';
import { drawChart, type CanvasLike, type DrawSpec } from './drawChart.js';
import { drawChartBefore } from './drawChart.before.test-util.js';

/** Every call and every style set, in order. */
function callLog(): { ctx: CanvasLike; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const target: Record<string, unknown> = {};
  const ctx = new Proxy(target, {
    get: (_t, k: string) => (...args: unknown[]) => void calls.push([k, ...args]),
    set: (_t, k: string, v: unknown) => {
      calls.push(['set', k, v]);
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasLike, calls };
}

const stats = { avg: null, peak: null, peakT: null, samples: 0 };
const value = fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: null, freq: 4 });

const chart = fc.record({
  buckets: fc.integer({ min: 1, max: 40 }),
  first: fc.integer({ min: 0, max: 5 }),
  edges: fc.boolean(),
  nodes: fc.integer({ min: 1, max: 20 }),
  seed: fc.array(fc.tuple(value, value, fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: null })), { minLength: 1, maxLength: 45 }),
  range: fc.tuple(fc.double({ min: -0.2, max: 1.2, noNaN: true }), fc.double({ min: -0.2, max: 1.2, noNaN: true })),
  top: fc.constantFrom(0, 10, 100, 250),
  scale: fc.constantFrom(1, 1024),
  levels: fc.boolean(),
  highlight: fc.option(fc.integer({ min: 1, max: 22 }), { nil: undefined }),
});

type Chart = typeof chart extends fc.Arbitrary<infer T> ? T : never;

function specOf(c: Chart): DrawSpec {
  const from = 1_000_000;
  const to = from + c.buckets * 60_000;
  // Uneven columns, as when a range's columns are moved to whole minutes.
  const edges = c.edges ? Array.from({ length: c.buckets + 1 }, (_, i) => (i === 0 ? from : i === c.buckets ? to : from + i * 60_000 - (i % 3) * 7_000)) : undefined;
  const series: HistorySeries = {
    backup: null, started: from, last: to, from, to, buckets: c.buckets, ...(edges ? { edges } : {}), first: Math.min(c.first, c.buckets - 1), next: to,
    checkpoints: [{ t: from + 30_000, label: 'a' }],
    nodes: Array.from({ length: c.nodes }, (_, n) => {
      const cols = c.seed.map((_, i) => c.seed[(i + n * 7) % c.seed.length]!);
      const min = cols.map(([a, b]) => (a === null || b === null ? null : Math.min(a, b)));
      const max = cols.map(([a, b]) => (a === null || b === null ? null : Math.max(a, b)));
      const mean = cols.map(([a, b, m]) => (a === null || b === null || m === null ? null : Math.min(Math.max(a, b), Math.max(Math.min(a, b), m))));
      return { id: n + 1, host: `n${n + 1}`, series: { load: { min, max, mean, stats, settled: stats } } };
    }),
  };
  const [a, b] = c.range;
  const r0 = from + Math.min(a, b) * (to - from);
  const r1 = from + Math.max(a, b) * (to - from);
  return {
    series, metric: 'load', range: [r0, r1 > r0 ? r1 : r0 + 1000], top: c.top, scale: c.scale, levels: c.levels,
    box: { left: 64, top: 16, width: 700, height: 300 }, size: { width: 778, height: 340, dpr: 1 },
    timeTicks: [from + 60_000], valueTicks: [0, 50, 100], highlight: c.highlight,
  };
}

describe('drawing a chart from typed arrays', () => {
  it('makes the same canvas calls as the arrays of points did', () => {
    fc.assert(
      fc.property(chart, (c) => {
        const spec = specOf(c);
        const now = callLog();
        const before = callLog();
        drawChart(now.ctx, spec);
        drawChartBefore(before.ctx, spec);
        expect(now.calls).toEqual(before.calls);
      }),
      { numRuns: 400 },
    );
  });
  it('draws something on the generated charts (the comparison is not of two empty logs)', () => {
    const spec = specOf({ buckets: 10, first: 0, edges: false, nodes: 2, seed: [[10, 20, 15], [null, 5, null], [30, 40, 35]], range: [0, 1], top: 100, scale: 1, levels: true, highlight: 2 });
    const now = callLog();
    drawChart(now.ctx, spec);
    expect(now.calls.filter((k) => k[0] === 'lineTo').length).toBeGreaterThan(10);
    // Two bands (bars), then the lines; the white plot is the one fill.
    expect(now.calls.filter((k) => k[0] === 'fill').length).toBe(0);
    expect(now.calls.filter((k) => k[0] === 'fillRect').length).toBe(1);
  });
});
