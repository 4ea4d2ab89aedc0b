/**
 * One history chart: a min/max band per node (each pixel column from its minimum to its
 * maximum, so spikes stay), yellow and red overlays above 50 and 80 for the load, blue
 * vertical lines for checkpoints, and drag-to-zoom. Recharts draws the axes, lines and
 * drag area; the bands are one SVG path each (bandPaths.ts).
 */
import { memo, useMemo, useState } from 'react';
import { ComposedChart, ReferenceArea, ReferenceLine, ResponsiveContainer, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import type { HistoryMetric, HistorySeries } from '../../shared/protocol/agentHistory.js';
import { ALERT_COLOUR, CHECKPOINT_COLOUR, nodeColour, WARN_COLOUR } from './chartData.js';
import { niceCeil, seriesBands, seriesPeak, type Band } from './bandPaths.js';
import { clock, tick } from './timeFormat.js';

export interface ChartProps {
  series: HistorySeries;
  metric: HistoryMetric;
  title: string;
  /** Values are divided by this (kB -> MB for memory). */
  scale?: number;
  unit: string;
  thresholds?: boolean;
  onZoom?: (from: number, to: number) => void;
  height?: number;
}

// A level's outline is its top edge only: around the whole part it would also draw the cut,
// a false line at 50 and 80. The top edge keeps a flat stretch above 80 visible as a red line.
const LOOK: Record<Band['part'], { colour?: string; fillOpacity: number; stroke: boolean }> = {
  normal: { fillOpacity: 0.15, stroke: true },
  warn: { colour: WARN_COLOUR, fillOpacity: 0.55, stroke: false },
  alert: { colour: ALERT_COLOUR, fillOpacity: 0.7, stroke: false },
};

interface BandsProps {
  series: HistorySeries;
  metric: HistoryMetric;
  thresholds: boolean;
  scale: number;
}

/** Inside the chart, where the axes' scales are known; redrawn only when data or size change. */
const Bands = memo(function Bands({ series, metric, thresholds, scale }: BandsProps) {
  const xs = useXAxisScale();
  const ys = useYAxisScale();
  const bands = useMemo(() => {
    if (!xs || !ys) return [];
    const x = (v: number) => Number(xs(v) ?? 0);
    const y = (v: number) => Number(ys(v) ?? 0);
    return seriesBands(series, metric, x, y, thresholds, scale);
  }, [series, metric, thresholds, scale, xs, ys]);
  // Normal bands first, then every yellow part, then every red one, so warnings stay on top.
  const order = ['normal', 'warn', 'alert'] as const;
  return (
    <g className="history-bands">
      {order.flatMap((part) =>
        bands.filter((b) => b.part === part).map((b) => {
          const colour = LOOK[part].colour ?? nodeColour(b.node);
          const cls = part === 'normal' ? `series node-${b.node}` : `series ${part} node-${b.node}`;
          return (
            <g key={`${part}-${b.node}`} className={cls}>
              {b.area && <path d={b.area} fill={colour} fillOpacity={LOOK[part].fillOpacity} stroke={LOOK[part].stroke ? colour : 'none'} strokeWidth={1} />}
              {b.top && !LOOK[part].stroke && <path className="level-line" d={b.top} fill="none" stroke={colour} strokeWidth={1.5} />}
            </g>
          );
        }),
      )}
    </g>
  );
});

export function HistoryChart({ series, metric, title, scale = 1, unit, thresholds = false, onZoom, height = 300 }: ChartProps) {
  // Only the times: recharts needs them for the drag labels, the values are drawn by Bands.
  const rows = useMemo(() => {
    const w = (series.to - series.from) / series.buckets;
    return Array.from({ length: series.buckets }, (_, i) => ({ t: Math.round(series.from + (i + 0.5) * w) }));
  }, [series]);
  const peak = useMemo(() => seriesPeak(series, metric, scale), [series, metric, scale]);
  const [drag, setDrag] = useState<{ a: number; b: number } | undefined>();
  const span = series.to - series.from;
  const nodes = series.nodes.filter((n) => n.series[metric]).length;
  const yMax = thresholds ? Math.max(100, Math.ceil(peak)) : niceCeil(peak);
  const label = (e: unknown) => {
    const v = (e as { activeLabel?: unknown } | null)?.activeLabel;
    return typeof v === 'number' ? v : undefined;
  };
  const endDrag = () => {
    if (drag && onZoom && Math.abs(drag.b - drag.a) >= span / series.buckets) onZoom(Math.min(drag.a, drag.b), Math.max(drag.a, drag.b));
    setDrag(undefined);
  };
  return (
    <figure className="history-chart" role="group" aria-label={title}>
      <figcaption>{title} <span className="unit">({unit})</span></figcaption>
      <div className="chart-box" role="img" aria-label={`${title}: ${nodes} node(s), ${series.checkpoints.length} checkpoint(s)`} data-drawn={rows.length > 0 ? 'yes' : 'no'}>
        <ResponsiveContainer width="100%" height={height}>
          <ComposedChart
            data={rows}
            margin={{ top: 22, right: 16, bottom: 4, left: 0 }}
            onMouseDown={(e) => {
              const t = label(e);
              if (t !== undefined) setDrag({ a: t, b: t });
            }}
            onMouseMove={(e) => {
              const t = label(e);
              if (drag && t !== undefined) setDrag({ ...drag, b: t });
            }}
            onMouseUp={endDrag}
          >
            <XAxis dataKey="t" type="number" scale="time" domain={[series.from, series.to]} tickFormatter={(t: number) => tick(t, span)} allowDataOverflow />
            <YAxis type="number" domain={[0, yMax]} width={56} allowDecimals={false} allowDataOverflow />
            <Bands series={series} metric={metric} thresholds={thresholds} scale={scale} />
            {series.checkpoints.map((c) => (
              <ReferenceLine key={`${c.t}-${c.label}`} x={c.t} stroke={CHECKPOINT_COLOUR} strokeWidth={2} className="checkpoint"
                label={{ value: c.label || clock(c.t), position: 'insideTopLeft', fill: CHECKPOINT_COLOUR, fontSize: 11 }} />
            ))}
            {drag && <ReferenceArea x1={drag.a} x2={drag.b} fill="#88a" fillOpacity={0.3} />}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
