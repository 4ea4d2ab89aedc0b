/**
 * Min/max bands as SVG paths. Each bucket is drawn across its whole pixel column, from its
 * minimum to its maximum, so a spike one bucket wide stays a visible column. One path per
 * node and part (normal, > 50, > 80) instead of one chart series each: 64 nodes of 1000
 * columns as recharts areas took seconds per draw, and the window redraws every 2 s.
 */
import type { HistoryMetric, HistorySeries } from '../../shared/protocol/agentHistory.js';
import { ALERT, WARN } from './chartData.js';

export type Scale = (v: number) => number;
type Values = readonly (number | null | undefined)[];

const px = (v: number) => (Math.round(v * 10) / 10).toString();

export interface BandPaths {
  /** Closed step polygons from each column's minimum (or the floor) to its maximum. */
  area: string;
  /** The maximum's edge alone, open: a level's line even where its band is flat. */
  top: string;
}

/**
 * The band of `min..max` over buckets spanning from..to (equal columns, or the given column
 * edges), cut below `floor` (buckets whose maximum stays at or below it are gaps): one
 * polygon, and one top edge, per run of buckets.
 */
export function band(min: Values, max: Values, from: number, to: number, x: Scale, y: Scale, floor = -Infinity, scale = 1, edges?: readonly number[]): BandPaths {
  const n = Math.min(min.length, max.length);
  const w = (to - from) / Math.max(1, n);
  const edge = (i: number) => px(x(edges && edges.length === n + 1 ? edges[i]! : from + i * w));
  const inRun = (k: number) => {
    const lo = min[k];
    const hi = max[k];
    return lo !== null && lo !== undefined && hi !== null && hi !== undefined && hi / scale > floor;
  };
  const area: string[] = [];
  const top: string[] = [];
  let i = 0;
  while (i < n) {
    if (!inRun(i)) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < n && inRun(end + 1)) end++;
    // Along the top left to right, then along the bottom back again.
    let t = `M${edge(i)} ${px(y(max[i]! / scale))}`;
    for (let k = i; k <= end; k++) t += `V${px(y(max[k]! / scale))}H${edge(k + 1)}`;
    let d = t;
    for (let k = end; k >= i; k--) d += `V${px(y(Math.max(min[k]! / scale, floor)))}H${edge(k)}`;
    area.push(`${d}Z`);
    top.push(t);
    i = end + 1;
  }
  return { area: area.join(''), top: top.join('') };
}

/** The band's polygons alone. */
export const bandPath = (...a: Parameters<typeof band>): string => band(...a).area;

export interface Band extends BandPaths {
  node: number;
  part: 'normal' | 'warn' | 'alert';
}

/** Every node's bands of one metric; the load also gets its yellow (> 50) and red (> 80) parts. */
export function seriesBands(s: HistorySeries, metric: HistoryMetric, x: Scale, y: Scale, thresholds: boolean, scale = 1): Band[] {
  const bands: Band[] = [];
  for (const n of s.nodes) {
    const m = n.series[metric];
    if (!m) continue;
    bands.push({ node: n.id, part: 'normal', ...band(m.min, m.max, s.from, s.to, x, y, -Infinity, scale, s.edges) });
    if (thresholds) {
      bands.push({ node: n.id, part: 'warn', ...band(m.min, m.max, s.from, s.to, x, y, WARN, scale, s.edges) });
      bands.push({ node: n.id, part: 'alert', ...band(m.min, m.max, s.from, s.to, x, y, ALERT, scale, s.edges) });
    }
  }
  return bands;
}

/** A round upper end for the value axis: 1, 2, 2.5 or 5 times a power of ten, at least `v`. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * p >= v - 1e-9 * p) return f * p;
  return 10 * p;
}

/** The highest value any node reaches in the shown range (after scaling), for the axis. */
export function seriesPeak(s: HistorySeries, metric: HistoryMetric, scale = 1): number {
  let top = 0;
  for (const n of s.nodes) for (const v of n.series[metric]?.max ?? []) if (v !== null && v !== undefined && v / scale > top) top = v / scale;
  return top;
}
