/**
 * A node's line and band through its columns, in pixels. The line joins the columns' means
 * at their middles; the band behind it runs along the columns' maxima and back along their
 * minima, so a one-second spike in a day keeps its full height there. A column with no data
 * (node down, not recorded) breaks both.
 */
import type { HistoryMetric, HistorySeries, NodeMetricSeries } from '../../../shared/protocol/agentHistory.js';
import { columnOf, columnStart } from '../../../shared/history/seriesMerge.js';

export type Scale = (v: number) => number;
type Grid = Pick<HistorySeries, 'from' | 'to' | 'buckets' | 'edges' | 'first'>;
type Columns = Pick<NodeMetricSeries, 'min' | 'max'> & { mean?: NodeMetricSeries['mean'] };

/** Flat x, y pairs: a polyline (line) or a closed polygon (band). */
export type Segment = number[];

export interface ColumnValue {
  min: number;
  max: number;
  mean: number;
}

const has = (v: number | null | undefined): v is number => v !== null && v !== undefined;

/** The column's min, max and mean (divided by `scale`), or undefined where it holds nothing. */
export function columnValue(m: Columns | undefined, g: Grid, column: number, scale = 1): ColumnValue | undefined {
  const i = column - g.first;
  const lo = m?.min[i];
  const hi = m?.max[i];
  if (!has(lo) || !has(hi)) return undefined;
  const mean = m?.mean?.[i];
  return { min: lo / scale, max: hi / scale, mean: (has(mean) ? mean : (lo + hi) / 2) / scale };
}

/** The columns that overlap [from, to], and one more each side so lines run on to the edges. */
export function visibleColumns(g: Grid, from: number, to: number): [number, number] {
  return [Math.max(0, columnOf(g, from) - 1), Math.min(g.buckets - 1, columnOf(g, to) + 1)];
}

/**
 * Straight over the column arrays, no object per column: a day of 64 nodes is ~46,000
 * columns, and this runs on the way to the first drawn chart (docs/BENCHMARKS.md).
 */
export function nodeShapes(m: Columns, g: Grid, range: readonly [number, number], x: Scale, y: Scale, scale = 1): { lines: Segment[]; bands: Segment[] } {
  const [c0, c1] = visibleColumns(g, range[0], range[1]);
  const lines: Segment[] = [];
  const bands: Segment[] = [];
  const { min, max, mean } = m;
  let line: number[] = [];
  let top: number[] = [];
  let bottom: number[] = [];
  let runStart = -1;
  const close = () => {
    const n = line.length / 2;
    if (n === 1) {
      // A lone column: a stroke across it, or it would be a dot.
      const xs = x(columnStart(g, runStart));
      const xe = x(columnStart(g, runStart + 1));
      const [ym, yhi, ylo] = [line[1]!, top[1]!, bottom[1]!];
      lines.push([xs, ym, xe, ym]);
      bands.push([xs, yhi, xe, yhi, xe, ylo, xs, ylo]);
    } else if (n > 1) {
      lines.push(line);
      for (let i = bottom.length - 2; i >= 0; i -= 2) top.push(bottom[i]!, bottom[i + 1]!);
      bands.push(top);
    }
    line = [];
    top = [];
    bottom = [];
    runStart = -1;
  };
  let start = columnStart(g, c0);
  for (let c = c0; c <= c1; c++) {
    const next = columnStart(g, c + 1);
    const i = c - g.first;
    const lo = min[i];
    const hi = max[i];
    if (lo === null || lo === undefined || hi === null || hi === undefined) close();
    else {
      if (runStart < 0) runStart = c;
      const mv = mean?.[i];
      const xm = x((start + next) / 2);
      line.push(xm, y((mv === null || mv === undefined ? (lo + hi) / 2 : mv) / scale));
      top.push(xm, y(hi / scale));
      bottom.push(xm, y(lo / scale));
    }
    start = next;
  }
  close();
  return { lines, bands };
}

/**
 * The node whose band passes nearest to `value` in `column` (0 inside its min..max; the
 * nearest mean among several), if one is within `within` (same unit): what the mouse points at.
 */
export function nearestNode(s: HistorySeries, metric: HistoryMetric, column: number, value: number, within: number, scale = 1): number | undefined {
  let best: number | undefined;
  let bestD = Infinity;
  for (const n of s.nodes) {
    const v = columnValue(n.series[metric], s, column, scale);
    if (!v) continue;
    const outside = value > v.max ? value - v.max : value < v.min ? v.min - value : 0;
    if (outside > within) continue;
    // Inside several bands: the line nearest the mouse.
    const d = outside * 1e6 + Math.abs(value - v.mean);
    if (d < bestD) {
      best = n.id;
      bestD = d;
    }
  }
  return best;
}

/**
 * Where a checkpoint's label sits beside its line at `x` in a box `width` wide: right of the
 * line in the left half, left of it in the right half, so a label at the day's last second
 * (a checkpoint just taken) stays inside the window instead of pushing it sideways.
 */
export function labelPlacement(x: number, width: number, gap = 3): { left: number } | { right: number } {
  return x > width / 2 ? { right: width - x + gap } : { left: x + gap };
}
