/**
 * The chart drawing as it was before the line geometry went into typed arrays (2026-11-30):
 * drawChart.geometry.property.test.ts checks that drawChart makes the very same canvas calls.
 * Kept verbatim (but for names), except the bands: drawn as a bar per column since (see
 * traceBand), here from this code's own columns. A reference, not code to extend.
 */
import type { HistorySeries, NodeMetricSeries } from '../../../shared/protocol/agentHistory.js';
import { columnStart } from '../../../shared/history/seriesMerge.js';
import { lookFor, plotScales, type CanvasLike, type DrawSpec } from './drawChart.js';
import { visibleColumns, type Scale, type Segment } from './lineGeometry.js';
import { ALERT, ALERT_COLOUR, CHECKPOINT_COLOUR, GRID_COLOUR, WARN, WARN_COLOUR, nodeColour } from './chartColours.js';

type Grid = Pick<HistorySeries, 'from' | 'to' | 'buckets' | 'edges' | 'first'>;
type Columns = Pick<NodeMetricSeries, 'min' | 'max'> & { mean?: NodeMetricSeries['mean'] };
const FADED = { line: 0.18, band: 0.03 };
const LIT = { width: 2.5, band: 0.35 };

function nodeShapes(m: Columns, g: Grid, range: readonly [number, number], x: Scale, y: Scale, scale = 1): { lines: Segment[]; bands: Segment[]; width: number } {
  const [c0, c1] = visibleColumns(g, range[0], range[1]);
  const lines: Segment[] = [];
  const bands: Segment[] = [];
  const bars: Segment[] = [];
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
      bars.push([xm, y(hi / scale), xm, y(lo / scale)]);
    }
    start = next;
  }
  close();
  const width = Math.max(1, Math.round((x(columnStart(g, c1 + 1)) - x(columnStart(g, c0))) / (c1 - c0 + 1)));
  return { lines, bands: bars, width };
}

/** A segment from y0 to y1 lies wholly above top or below bottom. */
const outside = (y0: number, y1: number, top: number, bottom: number) => (y0 < top && y1 < top) || (y0 > bottom && y1 > bottom);

/** Whether any segment of the lines reaches top..bottom (y). */
function reaches(segs: readonly Segment[], top: number, bottom: number): boolean {
  for (const seg of segs) {
    for (let i = 3; i < seg.length; i += 2) if (!outside(seg[i - 2]!, seg[i]!, top, bottom)) return true;
  }
  return false;
}

export function drawChartBefore(ctx: CanvasLike, spec: DrawSpec): void {
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
  const drawn = series.nodes.filter((n) => n.series[metric]).map((n) => ({ id: n.id, ...nodeShapes(n.series[metric]!, series, spec.range, x, y, spec.scale) }));
  const look = lookFor(drawn.length);
  const path = (segs: Segment[], closed: boolean) => {
    ctx.beginPath();
    for (const seg of segs) {
      ctx.moveTo(seg[0]!, seg[1]!);
      for (let i = 2; i < seg.length; i += 2) ctx.lineTo(seg[i]!, seg[i + 1]!);
      if (closed) ctx.closePath();
    }
  };
  /** The lines' segments that reach top..bottom (y), added to the path. */
  const pathWithin = (segs: Segment[], top: number, bottom: number) => {
    for (const seg of segs) {
      let pen = false;
      for (let i = 2; i < seg.length; i += 2) {
        const y0 = seg[i - 1]!;
        const y1 = seg[i + 1]!;
        if (outside(y0, y1, top, bottom)) {
          pen = false;
          continue;
        }
        if (!pen) ctx.moveTo(seg[i - 2]!, y0);
        pen = true;
        ctx.lineTo(seg[i]!, y1);
      }
    }
  };
  const band = (n: (typeof drawn)[number], alpha: number) => {
    ctx.strokeStyle = nodeColour(n.id);
    ctx.globalAlpha = alpha;
    ctx.lineWidth = n.width;
    path(n.bands, false);
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
      if (!reaches(n.lines, part.from - reach, part.to + reach)) continue;
      ctx.save();
      ctx.beginPath();
      ctx.rect(box.left, part.from, box.width, part.to - part.from);
      ctx.clip();
      ctx.strokeStyle = part.colour ?? nodeColour(n.id);
      ctx.beginPath();
      pathWithin(n.lines, part.from - reach, part.to + reach);
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
