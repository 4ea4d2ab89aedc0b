/**
 * One history chart: a line per node on a canvas (drawChart.ts), round ticks and checkpoint
 * labels as text around it, and over the plot a focusable cursor (role slider): the mouse
 * or the arrow keys move it, the wheel, +/- and a drag zoom, and what it points at is read
 * out beside it (CursorReadout) and highlighted. A click, or Enter on the cursor, picks that
 * moment (and the node whose band it is on or near): the window opens the process history there.
 */
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { HistoryMetric, HistorySeries } from '../../../shared/protocol/agentHistory.js';
import { columnOf, columnStart } from '../../../shared/history/seriesMerge.js';
import { clock, dateTime } from '../timeFormat.js';
import { drawChart, plotScales, type PlotBox } from './drawChart.js';
import { labelPlacement, nearestNode, timeTickLabels } from './lineGeometry.js';
import { timeTickLabel, timeTicks } from './ticks.js';
import { CursorReadout } from './CursorReadout.js';
import { usePointer } from './usePointer.js';
import type { ValueAxis } from './valueAxis.js';
import { ALERT_COLOUR, CHECKPOINT_COLOUR } from './chartColours.js';
import type { Range } from './viewRange.js';

export interface ChartProps {
  series: HistorySeries;
  range: Range;
  metric: HistoryMetric;
  title: string;
  unit: string;
  /** Values are divided by this (kB -> MB for memory). */
  scale?: number;
  levels?: boolean;
  axis: ValueAxis;
  format: (v: number) => string;
  height: number;
  cursor: number | undefined;
  onCursor: (t: number | undefined) => void;
  highlight: number | undefined;
  /** The node the mouse points at on this chart (undefined: none). */
  onPointNode: (id: number | undefined) => void;
  onZoomRange: (from: number, to: number) => void;
  onZoomBy: (factor: number, anchor?: number) => void;
  /** A moment picked (a click, or Enter on the cursor), and the node whose band it was on or near (the highlighted one for Enter). */
  onPick?: (t: number, node: number | undefined) => void;
}

const MARGIN = { left: 64, right: 14, top: 16, bottom: 24 };

export function HistoryChart(p: ChartProps) {
  const { series, range, metric, scale = 1, axis, height } = p;
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [active, setActive] = useState(false);

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => setWidth(el.clientWidth));
    ro?.observe(el);
    return () => ro?.disconnect();
  }, []);

  const box: PlotBox = { left: MARGIN.left, top: MARGIN.top, width: Math.max(10, width - MARGIN.left - MARGIN.right), height: height - MARGIN.top - MARGIN.bottom };
  const [from, to] = range;
  const ticks = useMemo(() => timeTicks(from, to, box.width), [from, to, box.width]);
  const nodes = series.nodes.filter((n) => n.series[metric]).length;

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    drawChart(ctx, {
      series, metric, range, top: axis.top, scale, levels: !!p.levels, box, size: { width, height, dpr },
      timeTicks: ticks.ticks, valueTicks: axis.ticks, highlight: p.highlight,
    });
    // What tests and the benchmark wait for: this many node lines are on the canvas; and how often it was drawn.
    const el = boxRef.current!;
    el.dataset.drawnNodes = String(nodes);
    el.dataset.draws = String(Number(el.dataset.draws ?? 0) + 1);
    // box is derived from width and height
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series, metric, range[0], range[1], axis.top, scale, p.levels, width, height, ticks, p.highlight, nodes]);

  const { x, y } = plotScales({ range, top: axis.top, box });
  // On a node's band, or within 6 pixels of it.
  const nodeAt = (pt: { t: number; v: number }) => nearestNode(series, metric, columnOf(series, pt.t), pt.v, (axis.top * 6) / box.height, scale);
  const drag = usePointer(plotRef, range, axis.top, {
    onPoint: (pt) => {
      p.onCursor(pt?.t);
      p.onPointNode(pt ? nodeAt(pt) : undefined);
    },
    onClick: (pt) => p.onPick?.(pt.t, nodeAt(pt)),
    onZoomRange: p.onZoomRange,
    onZoomBy: p.onZoomBy,
  });

  // Arrow keys step a column (ten with Shift), or a hundredth of the range if columns are finer.
  const stepMs = Math.max(columnStart(series, 1) - columnStart(series, 0), (range[1] - range[0]) / box.width);
  const onKey = (e: KeyboardEvent) => {
    const c = p.cursor ?? (range[0] + range[1]) / 2;
    const move = (t: number) => p.onCursor(Math.max(range[0], Math.min(range[1], t)));
    const keys: Record<string, () => void> = {
      ArrowLeft: () => move(c - stepMs * (e.shiftKey ? 10 : 1)),
      ArrowRight: () => move(c + stepMs * (e.shiftKey ? 10 : 1)),
      Home: () => move(range[0]),
      End: () => move(range[1]),
      '+': () => p.onZoomBy(0.5),
      '=': () => p.onZoomBy(0.5),
      '-': () => p.onZoomBy(2),
      Escape: () => p.onCursor(undefined),
      Enter: () => p.cursor !== undefined && p.onPick?.(p.cursor, p.highlight),
    };
    const k = keys[e.key];
    if (!k) return;
    e.preventDefault();
    k();
  };

  // Alerts raised, as marks beside the checkpoints (cleared ones are in mosctl alerts and the banner's history).
  const raised = (series.alerts ?? []).filter((a) => a.event === 'raised');
  const cursorX = p.cursor !== undefined && p.cursor >= range[0] && p.cursor <= range[1] ? x(p.cursor) : undefined;
  return (
    <figure className="history-chart" role="group" aria-label={p.title}>
      <figcaption>{p.title} <span className="unit">({p.unit})</span></figcaption>
      <div className="chart-box" ref={boxRef} style={{ height }} role="img"
        aria-label={`${p.title}: ${nodes} node(s), ${series.checkpoints.length} checkpoint(s)${raised.length ? `, ${raised.length} alert(s)` : ''}`} data-drawn={nodes > 0 ? 'yes' : 'no'}>
        <canvas ref={canvasRef} style={{ width: '100%', height }} aria-hidden="true" />
        <div aria-hidden="true">
          {axis.ticks.map((v) => (
            <span key={`v${v}`} className="value-tick" data-v={v} style={{ top: y(v), width: MARGIN.left - 6 }}>{axis.label(v)}</span>
          ))}
          {timeTickLabels(ticks.ticks.map(x), width).map(({ i, x: left, shift }) => (
            <span key={`t${ticks.ticks[i]}`} className="time-tick" data-t={ticks.ticks[i]} style={{ left, top: box.top + box.height + 3, transform: `translateX(${shift})` }}>{timeTickLabel(ticks.ticks[i]!, ticks.step)}</span>
          ))}
          {raised.filter((a) => a.t >= range[0] && a.t <= range[1]).map((a) => (
            <span key={`a${a.t}-${a.rule}-${a.node}`} className="alert-mark" data-t={a.t} title={a.text}
              style={{ ...labelPlacement(x(a.t), width), top: 15, color: ALERT_COLOUR }}>
              ▲ node {a.node} {a.rule}
            </span>
          ))}
          {series.checkpoints.filter((c) => c.t >= range[0] && c.t <= range[1]).map((c) => (
            <span key={`c${c.t}-${c.label}`} className="checkpoint-label" data-t={c.t} style={{ ...labelPlacement(x(c.t), width), top: 1, color: CHECKPOINT_COLOUR }}>
              {c.label || clock(c.t)}
            </span>
          ))}
        </div>
        <div ref={plotRef} className="chart-plot" tabIndex={0} role="slider" aria-label={`Cursor in ${p.title}`}
          aria-valuemin={range[0]} aria-valuemax={range[1]} aria-valuenow={p.cursor ?? range[0]}
          aria-valuetext={p.cursor !== undefined ? `${dateTime(p.cursor)}${p.onPick ? ', Enter: its processes' : ''}` : 'no cursor: arrow keys move it, + and - zoom'}
          style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
          onKeyDown={onKey} onFocus={() => setActive(true)} onBlur={() => setActive(false)}
          onMouseEnter={() => setActive(true)} onMouseLeave={() => setActive(false)}>
          {cursorX !== undefined && <div className="cursor-line" style={{ left: cursorX - box.left }} />}
          {drag && Math.abs(drag.b - drag.a) > 1 && <div className="drag-range" style={{ left: Math.min(drag.a, drag.b), width: Math.abs(drag.b - drag.a) }} />}
        </div>
        {active && p.cursor !== undefined && cursorX !== undefined && !drag && (
          <CursorReadout series={series} metric={metric} title={p.title} scale={scale} levels={!!p.levels} format={p.format} t={p.cursor}
            highlight={p.highlight} x={cursorX} flip={cursorX > box.left + box.width / 2} top={box.top} maxHeight={box.height} />
        )}
      </div>
    </figure>
  );
}
