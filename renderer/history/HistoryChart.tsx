/**
 * One history chart: a range area per node (each pixel column from its minimum to its
 * maximum, so spikes stay), yellow and red overlays above 50 and 80 for the load, blue
 * vertical lines for checkpoints, and drag-to-zoom.
 */
import { useState } from 'react';
import { Area, ComposedChart, ReferenceArea, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { HistoryMetric, HistorySeries } from '../../shared/protocol/agentHistory.js';
import { ALERT_COLOUR, CHECKPOINT_COLOUR, chartRows, nodeColour, WARN_COLOUR } from './chartData.js';
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

export function HistoryChart({ series, metric, title, scale = 1, unit, thresholds = false, onZoom, height = 300 }: ChartProps) {
  const { rows, keys } = chartRows(series, metric, thresholds, scale);
  const [drag, setDrag] = useState<{ a: number; b: number } | undefined>();
  const span = series.to - series.from;
  const yMax = thresholds ? Math.max(100, ...keys.map((k) => series.nodes.find((n) => n.id === k.id)?.series[metric]?.stats.peak ?? 0)) : 'auto';
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
      <div className="chart-box" role="img" aria-label={`${title}: ${keys.length} node(s), ${series.checkpoints.length} checkpoint(s)`} data-drawn={rows.length > 0 ? 'yes' : 'no'}>
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
            <YAxis domain={[0, yMax]} width={56} allowDecimals={false} />
            {keys.map((k) => (
              <Area key={k.normal} dataKey={k.normal} isAnimationActive={false} type="linear" stroke={nodeColour(k.id)} fill={nodeColour(k.id)} fillOpacity={0.15} strokeWidth={1} dot={false} activeDot={false} connectNulls={false} name={`Node ${k.id}`} className={`series node-${k.id}`} />
            ))}
            {thresholds && keys.map((k) => (
              <Area key={k.warn} dataKey={k.warn!} isAnimationActive={false} type="linear" stroke={WARN_COLOUR} fill={WARN_COLOUR} fillOpacity={0.5} dot={false} activeDot={false} className={`series warn node-${k.id}`} />
            ))}
            {thresholds && keys.map((k) => (
              <Area key={k.alert} dataKey={k.alert!} isAnimationActive={false} type="linear" stroke={ALERT_COLOUR} fill={ALERT_COLOUR} fillOpacity={0.6} dot={false} activeDot={false} className={`series alert node-${k.id}`} />
            ))}
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
