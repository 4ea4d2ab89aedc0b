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

/** Where a path goes: a canvas context, or a recorder of segments (nodeShapes). */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
}

/**
 * The visible columns (visibleColumns) in pixels, the same for every node of a chart, so x is
 * worked out once per column, not once per node and column: `mid` the x of each column's
 * middle (where the line and band pass), `edge` the x of its start (k) and end (k + 1), which a
 * lone column's stroke spans.
 */
export interface ColumnsX {
  c0: number;
  mid: Float64Array;
  edge: Float64Array;
}

export function columnsX(g: Grid, range: readonly [number, number], x: Scale): ColumnsX {
  const [c0, c1] = visibleColumns(g, range[0], range[1]);
  const n = Math.max(0, c1 - c0 + 1);
  const mid = new Float64Array(n);
  const edge = new Float64Array(n + 1);
  let start = columnStart(g, c0);
  edge[0] = x(start);
  for (let k = 0; k < n; k++) {
    const next = columnStart(g, c0 + k + 1);
    mid[k] = x((start + next) / 2);
    edge[k + 1] = x(next);
    start = next;
  }
  return { c0, mid, edge };
}

/** The value axis in pixels: y(v) = base - v * perUnit (plotScales' y, as numbers). */
export interface AxisY {
  base: number;
  perUnit: number;
}

/** One node's visible columns in pixels: y of the mean, the maximum and the minimum; NaN where a column holds nothing. */
export interface NodeYs {
  mean: Float64Array;
  hi: Float64Array;
  lo: Float64Array;
}

/**
 * Straight over the column arrays into typed arrays, no object or growing array per column:
 * a day of 64 nodes is ~64,000 columns, and this runs on the way to the first drawn chart,
 * in code the new window has not yet optimised (docs/BENCHMARKS.md).
 */
export function nodeYs(m: Columns, g: Grid, cols: ColumnsX, axis: AxisY, scale = 1): NodeYs {
  const n = cols.mid.length;
  const ys: NodeYs = { mean: new Float64Array(n), hi: new Float64Array(n), lo: new Float64Array(n) };
  const { min, max, mean } = m;
  const { base, perUnit } = axis;
  const skip = cols.c0 - g.first;
  for (let k = 0; k < n; k++) {
    const i = k + skip;
    const lo = min[i];
    const hi = max[i];
    if (lo === null || lo === undefined || hi === null || hi === undefined) {
      ys.mean[k] = ys.hi[k] = ys.lo[k] = NaN;
      continue;
    }
    const mv = mean?.[i];
    ys.mean[k] = base - ((mv === null || mv === undefined ? (lo + hi) / 2 : mv) / scale) * perUnit;
    ys.hi[k] = base - (hi / scale) * perUnit;
    ys.lo[k] = base - (lo / scale) * perUnit;
  }
  return ys;
}

/**
 * A node's band: per column with data a bar from its maximum down to its minimum at the
 * column's middle (stroked as wide as a column, about a pixel: the window asks a column per
 * pixel), so a one-second spike in a day keeps its full height. Bars, not a polygon along the
 * maxima and back along the minima: 64 such polygons were most of the canvas's raster time to
 * the first drawn chart (docs/BENCHMARKS.md), thin bars a tenth of it.
 */
export function traceBand(sink: PathSink, cols: ColumnsX, ys: NodeYs): void {
  const { mid } = cols;
  const { hi, lo } = ys;
  for (let k = 0; k < hi.length; k++) {
    if (Number.isNaN(hi[k]!)) continue;
    sink.moveTo(mid[k]!, hi[k]!);
    sink.lineTo(mid[k]!, lo[k]!);
  }
}

/**
 * How wide a band's bars are stroked: a column's mean width in whole pixels, at least one. Whole:
 * a stroke of exactly one pixel is a hairline to the canvas, cheap; 1.002 pixels is a polygon per
 * bar, and a day's bars took ten times the polygons they replaced.
 */
export function barWidth(cols: ColumnsX): number {
  const n = cols.mid.length;
  return n ? Math.max(1, Math.round((cols.edge[n]! - cols.edge[0]!) / n)) : 1;
}

/**
 * A node's line through its columns' means, only its stretches that reach top..bottom (y): a
 * segment wholly above or below is left out (the part of the axis it is drawn for is clipped
 * anyway). A lone column is a stroke across it, or it would be a dot. Without a sink it only
 * says whether any segment reaches top..bottom.
 */
export function traceLine(sink: PathSink | null, cols: ColumnsX, ys: NodeYs, top: number, bottom: number): boolean {
  const { mid, edge } = cols;
  const y = ys.mean;
  const n = y.length;
  let any = false;
  let pen = false;
  // One pass: whether a column starts or ends a run is read from its neighbours (a run's end was
  // found by a pass of its own per run, on the way to the first drawn chart).
  for (let k = 0; k < n; k++) {
    const v = y[k]!;
    if (Number.isNaN(v)) continue;
    if (k === 0 || Number.isNaN(y[k - 1]!)) {
      pen = false;
      const lone = k + 1 === n || Number.isNaN(y[k + 1]!);
      if (lone && v >= top && v <= bottom) {
        if (!sink) return true;
        any = true;
        sink.moveTo(edge[k]!, v);
        sink.lineTo(edge[k + 1]!, v);
      }
      continue;
    }
    const y0 = y[k - 1]!;
    if ((y0 < top && v < top) || (y0 > bottom && v > bottom)) {
      pen = false;
      continue;
    }
    if (!sink) return true;
    any = true;
    if (!pen) sink.moveTo(mid[k - 1]!, y0);
    pen = true;
    sink.lineTo(mid[k]!, v);
  }
  return any;
}

/** Collects a path as flat x, y segments, one per moveTo. */
function segmentRecorder(): PathSink & { segments: Segment[] } {
  const segments: Segment[] = [];
  return {
    segments,
    moveTo: (x, y) => void segments.push([x, y]),
    lineTo: (x, y) => void segments.at(-1)!.push(x, y),
    closePath: () => undefined,
  };
}

/**
 * A node's line and band as arrays of points (what traceLine and traceBand draw, whole; the
 * band's bars one segment each): the geometry in a form a test reads. `y` must be linear (plotScales' y).
 */
export function nodeShapes(m: Columns, g: Grid, range: readonly [number, number], x: Scale, y: Scale, scale = 1): { lines: Segment[]; bands: Segment[] } {
  const cols = columnsX(g, range, x);
  const base = y(0);
  const ys = nodeYs(m, g, cols, { base, perUnit: base - y(1) }, scale);
  const lines = segmentRecorder();
  const bands = segmentRecorder();
  traceLine(lines, cols, ys, -Infinity, Infinity);
  traceBand(bands, cols, ys);
  return { lines: lines.segments, bands: bands.segments };
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

/** Half the width of the longest time tick label ("22:47:50", or a date, at the chart's 11 px), with a little room. */
export const TIME_LABEL_HALF_PX = 32;

/**
 * How far a time tick's label is shifted from its tick: centred under it, but ending at it near
 * the right edge (the range's last second is only the chart's right margin from it) and starting
 * at it near the left, so a label never sticks out of the chart and widens the window.
 */
export function timeTickShift(x: number, width: number): '-50%' | '-100%' | '0%' {
  if (x > width - TIME_LABEL_HALF_PX) return '-100%';
  if (x < TIME_LABEL_HALF_PX) return '0%';
  return '-50%';
}

/** A time tick's label as drawn: which tick (`i`), where, and its shift. */
export interface TimeTickLabel {
  i: number;
  x: number;
  shift: ReturnType<typeof timeTickShift>;
}

/**
 * The time ticks' labels that fit: each shifted as timeTickShift says, left to right, leaving
 * out one that would run into the label before it (the last tick, ended at itself near the
 * right edge, reaches back into its centred neighbour: "12:28:3012:28:35").
 */
export function timeTickLabels(xs: readonly number[], width: number): TimeTickLabel[] {
  const w = 2 * TIME_LABEL_HALF_PX;
  const out: TimeTickLabel[] = [];
  let end = -Infinity;
  xs.forEach((x, i) => {
    const shift = timeTickShift(x, width);
    const left = shift === '-100%' ? x - w : shift === '0%' ? x : x - w / 2;
    if (left < end) return;
    out.push({ i, x, shift });
    end = left + w;
  });
  return out;
}
