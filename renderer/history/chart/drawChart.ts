/**
 * Draws one history chart on a canvas: grid lines on the round ticks, per node its min..max
 * band, faint (a bar per column), and its mean line in its colour, for the load in Mosixload's colours: the
 * line's parts above 50 yellow and above 80 red, with dashed guides at both levels (the
 * highlighted node's band stronger and its line wider and on top, the others faded),
 * checkpoints as blue lines.
 * Canvas, not SVG: 64 nodes of a day are ~140,000 points, drawn in milliseconds.
 */
import type { HistoryMetric, HistorySeries } from '../../../shared/protocol/agentHistory.js';
import { barWidth, columnsX, nodeYs, traceBand, traceLine, type Scale } from './lineGeometry.js';
import { ALERT, ALERT_COLOUR, CHECKPOINT_COLOUR, GRID_COLOUR, WARN, WARN_COLOUR, nodeColour } from './chartColours.js';

export type CanvasLike = Pick<CanvasRenderingContext2D,
  'setTransform' | 'clearRect' | 'fillRect' | 'beginPath' | 'moveTo' | 'lineTo' | 'closePath' | 'stroke' | 'fill' | 'save' | 'restore' | 'rect' | 'clip' | 'setLineDash'> & {
  fillStyle: CanvasRenderingContext2D['fillStyle'];
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  lineWidth: number;
  globalAlpha: number;
  lineJoin: CanvasLineJoin;
};

/** The plot area inside the canvas, CSS pixels. */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface DrawSpec {
  series: HistorySeries;
  metric: HistoryMetric;
  range: readonly [number, number];
  /** Top of the value axis, after scaling. */
  top: number;
  scale: number;
  levels: boolean;
  box: PlotBox;
  /** Canvas size in CSS pixels, and device pixels per CSS pixel. */
  size: { width: number; height: number; dpr: number };
  timeTicks: readonly number[];
  valueTicks: readonly number[];
  highlight?: number;
}

export function plotScales(spec: Pick<DrawSpec, 'range' | 'top' | 'box'>): { x: Scale; y: Scale } {
  const { range, top, box } = spec;
  const kx = box.width / Math.max(1, range[1] - range[0]);
  const ky = box.height / (top || 1);
  return { x: (t) => box.left + (t - range[0]) * kx, y: (v) => box.top + box.height - v * ky };
}

/** How lines and bands look: thinner and fainter when many share the plot, so each stays a line. */
export function lookFor(nodes: number) {
  const many = nodes > 16;
  return { width: many ? 1 : 1.5, band: many ? 0.06 : nodes > 4 ? 0.14 : 0.22 };
}
const FADED = { line: 0.18, band: 0.03 };
const LIT = { width: 2.5, band: 0.35 };

export function drawChart(ctx: CanvasLike, spec: DrawSpec): void {
  const { series, metric, box, size, highlight } = spec;
  const { x, y } = plotScales(spec);
  ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  const bottom = box.top + box.height;
  const yWarn = Math.max(box.top, Math.min(bottom, y(WARN)));
  const yAlert = Math.max(box.top, Math.min(bottom, y(ALERT)));
  ctx.fillStyle = '#fff';
  ctx.fillRect(box.left, box.top, box.width, box.height);
  ctx.strokeStyle = GRID_COLOUR;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const v of spec.valueTicks) {
    const py = Math.round(y(v)) + 0.5;
    ctx.moveTo(box.left, py);
    ctx.lineTo(box.left + box.width, py);
  }
  for (const t of spec.timeTicks) {
    const px = Math.round(x(t)) + 0.5;
    ctx.moveTo(px, box.top);
    ctx.lineTo(px, box.top + box.height);
  }
  ctx.stroke();
  // The levels, behind the lines.
  if (spec.levels) {
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 4]);
    for (const [py, colour] of [[yWarn, WARN_COLOUR], [yAlert, ALERT_COLOUR]] as const) {
      ctx.strokeStyle = colour;
      ctx.beginPath();
      ctx.moveTo(box.left, Math.round(py) + 0.5);
      ctx.lineTo(box.left + box.width, Math.round(py) + 0.5);
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.width, box.height);
  ctx.clip();
  ctx.lineJoin = 'round';
  // x of every visible column once for all nodes; per node its y in typed arrays (lineGeometry.ts).
  const cols = columnsX(series, spec.range, x);
  const axisY = { base: box.top + box.height, perUnit: box.height / (spec.top || 1) };
  const drawn = series.nodes.filter((n) => n.series[metric]).map((n) => ({ id: n.id, ys: nodeYs(n.series[metric]!, series, cols, axisY, spec.scale) }));
  const look = lookFor(drawn.length);
  const bars = barWidth(cols);
  const band = (n: (typeof drawn)[number], alpha: number) => {
    ctx.strokeStyle = nodeColour(n.id);
    ctx.globalAlpha = alpha;
    ctx.lineWidth = bars;
    ctx.beginPath();
    traceBand(ctx, cols, n.ys);
    ctx.stroke();
  };
  // The stretches of the value axis a line is drawn in, bottom up, each in its colour (undefined: the node's own).
  const parts: { from: number; to: number; colour?: string }[] = spec.levels
    ? [{ from: yWarn, to: bottom }, { from: yAlert, to: yWarn, colour: WARN_COLOUR }, { from: box.top, to: yAlert, colour: ALERT_COLOUR }]
    : [{ from: box.top, to: bottom }];
  const line = (n: (typeof drawn)[number], alpha: number, width: number) => {
    ctx.globalAlpha = alpha;
    ctx.lineWidth = width;
    for (const part of parts) {
      if (part.to <= part.from) continue;
      // Only the stretches that reach this part of the axis (a line's width around it): a day's
      // 64 lines drawn whole three times were most of the time to the first drawn chart.
      const reach = width + 1;
      if (!traceLine(null, cols, n.ys, part.from - reach, part.to + reach)) continue;
      ctx.save();
      ctx.beginPath();
      ctx.rect(box.left, part.from, box.width, part.to - part.from);
      ctx.clip();
      ctx.strokeStyle = part.colour ?? nodeColour(n.id);
      ctx.beginPath();
      traceLine(ctx, cols, n.ys, part.from - reach, part.to + reach);
      ctx.stroke();
      ctx.restore();
    }
  };
  const lit = drawn.find((n) => n.id === highlight);
  // All bands first, then all lines: no band hides another node's line.
  const rest = drawn.filter((n) => n !== lit);
  for (const n of rest) band(n, lit ? FADED.band : look.band);
  for (const n of rest) line(n, lit ? FADED.line : 1, look.width);
  if (lit) {
    band(lit, LIT.band);
    line(lit, 1, LIT.width);
  }
  ctx.globalAlpha = 1;

  ctx.strokeStyle = CHECKPOINT_COLOUR;
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (const c of series.checkpoints) {
    const px = Math.round(x(c.t));
    ctx.moveTo(px, box.top);
    ctx.lineTo(px, box.top + box.height);
  }
  ctx.stroke();
  ctx.restore();
}
