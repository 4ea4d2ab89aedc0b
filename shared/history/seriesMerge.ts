/**
 * The history windows' 2 s refresh asks only for the columns from the last answer's `next`
 * on (`since`); its answer is added here to what the window already has. Columns before
 * the answer's first are kept, later ones taken from the answer, and the stats are those
 * of the settled columns kept plus those of the answer, so the result equals a full read.
 */
import type { HistoryMetric, HistorySeries, NodeMetricSeries, NodeSeries } from '../protocol/agentHistory.js';
import { mergeStats, NO_STATS } from './downsample.js';

type Grid = Pick<HistorySeries, 'from' | 'to' | 'buckets' | 'edges'>;

/** The column holding time t, as the agent's MinMaxBuckets counts them (the end belongs to the last). */
export function columnOf(g: Grid, t: number): number {
  const e = g.edges;
  if (!e || e.length !== g.buckets + 1) {
    // The same arithmetic as MinMaxBuckets, so both sides agree on every edge.
    return Math.min(g.buckets - 1, Math.max(0, Math.floor((t - g.from) / ((g.to - g.from) / g.buckets))));
  }
  let lo = 0;
  let hi = g.buckets - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (e[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Start time of column i (i = buckets: the end of the range). */
export function columnStart(g: Grid, i: number): number {
  const e = g.edges;
  if (e && e.length === g.buckets + 1) return e[Math.max(0, Math.min(g.buckets, i))]!;
  return g.from + i * ((g.to - g.from) / g.buckets);
}

const sameEdges = (a?: readonly number[], b?: readonly number[]) =>
  a === b || (!!a && !!b && a.length === b.length && a.every((v, i) => v === b[i]));

/** Whether `answer` continues `prev`: the same history and columns, starting at prev's `next`. */
export function continues(prev: HistorySeries, answer: HistorySeries): boolean {
  return prev.backup === answer.backup && prev.started === answer.started && prev.from === answer.from && prev.to === answer.to &&
    prev.buckets === answer.buckets && sameEdges(prev.edges, answer.edges) && answer.first === columnOf(prev, prev.next) &&
    answer.first >= prev.first;
}

function mergeMetric(p: NodeMetricSeries | undefined, a: NodeMetricSeries | undefined, keep: number): NodeMetricSeries {
  const head = (xs: readonly (number | null)[] | undefined) => {
    const out = (xs ?? []).slice(0, keep);
    while (out.length < keep) out.push(null);
    return out;
  };
  const settled = p?.settled ?? NO_STATS;
  return {
    min: head(p?.min).concat(a?.min ?? []),
    max: head(p?.max).concat(a?.max ?? []),
    mean: head(p?.mean).concat(a?.mean ?? []),
    stats: mergeStats(settled, a?.stats ?? NO_STATS),
    settled: mergeStats(settled, a?.settled ?? NO_STATS),
  };
}

/** `prev` with a refresh's answer added; undefined when the answer does not continue it (then show the answer after a full read). */
export function mergeSeries(prev: HistorySeries, answer: HistorySeries): HistorySeries | undefined {
  if (!continues(prev, answer)) return undefined;
  const keep = answer.first - prev.first;
  const byId = new Map<number, { p?: NodeSeries; a?: NodeSeries }>();
  for (const p of prev.nodes) byId.set(p.id, { p });
  for (const a of answer.nodes) byId.set(a.id, { ...byId.get(a.id), a });
  const nodes: NodeSeries[] = [...byId.entries()]
    .sort(([x], [y]) => x - y)
    .map(([id, { p, a }]) => {
      const metrics = new Set([...Object.keys(p?.series ?? {}), ...Object.keys(a?.series ?? {})] as HistoryMetric[]);
      const series: NodeSeries['series'] = {};
      for (const k of metrics) series[k] = mergeMetric(p?.series[k], a?.series[k], keep);
      return { id, host: a?.host || p?.host || '', series };
    });
  const cut = columnStart(prev, answer.first);
  return {
    ...answer,
    first: prev.first,
    nodes,
    checkpoints: [...prev.checkpoints.filter((c) => c.t < cut), ...answer.checkpoints],
    alerts: [...(prev.alerts ?? []).filter((a) => a.t < cut), ...(answer.alerts ?? [])],
  };
}

/**
 * Whether `merged` (prev with a refresh's answer added) holds nothing prev lacks: no record
 * after prev's last and no new checkpoint or alert (the history only grows). A window keeps
 * prev then, and its charts are not drawn again for nothing every 2 s (a stopped collector).
 */
export function addsNothing(prev: HistorySeries, merged: HistorySeries): boolean {
  return merged.last === prev.last && merged.next === prev.next && merged.checkpoints.length === prev.checkpoints.length &&
    (merged.alerts ?? []).length === (prev.alerts ?? []).length;
}
