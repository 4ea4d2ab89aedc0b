/** Mosixload and Mosixmem: a day of load (or mem, rmem, tmem) per node, checkpoints, zoom, per-node averages. */
import { useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { HistoryMetric, HistorySeries } from '../../shared/protocol/agentHistory.js';
import { openWindow } from '../windows.js';
import { HistoryChart } from './HistoryChart.js';
import { nodeColour } from './chartData.js';
import { HistoryFrame } from './HistoryFrame.js';
import { useCollector, useSeries } from './useHistory.js';
import { clock, formatKbShort } from './timeFormat.js';

interface ChartSpec {
  metric: HistoryMetric;
  title: string;
  unit: string;
  scale?: number;
  thresholds?: boolean;
}

export interface WindowSpec {
  title: string;
  /** The metric of the per-node table and the average buttons. */
  main: HistoryMetric;
  charts: ChartSpec[];
  format: (v: number) => string;
}

export const LOAD_WINDOW: WindowSpec = {
  title: 'Load history',
  main: 'load',
  charts: [{ metric: 'load', title: 'Load', unit: '% of the node’s CPUs; yellow above 50, red above 80', thresholds: true }],
  format: (v) => `${Math.round(v)}%`,
};

export const MEM_WINDOW: WindowSpec = {
  title: 'Memory history',
  main: 'mem',
  charts: [
    { metric: 'mem', title: 'mem: available memory', unit: 'MB', scale: 1024 },
    { metric: 'rmem', title: 'rmem: free memory', unit: 'MB', scale: 1024 },
    { metric: 'tmem', title: 'tmem: total memory', unit: 'MB', scale: 1024 },
  ],
  format: (v) => formatKbShort(v),
};

function NodeTable({ series, spec, backup }: { series: HistorySeries; spec: WindowSpec; backup: string | undefined }) {
  return (
    <table className="history-nodes" aria-label={`${spec.title} per node`}>
      <thead>
        <tr><th>Node</th><th>Colour</th><th>Host</th><th>Average</th><th>Peak</th><th>Peak at</th><th /></tr>
      </thead>
      <tbody>
        {series.nodes.map((n) => {
          const st = n.series[spec.main]?.stats;
          return (
            <tr key={n.id} aria-label={`Node ${n.id} history`}>
              <td>{n.id}</td>
              <td aria-label={`Colour of node ${n.id}`} title={`node ${n.id}'s line in the chart`}>
                <span className="swatch" style={{ background: nodeColour(n.id) }} data-colour={nodeColour(n.id)} />
              </td>
              <td>{n.host}</td>
              <td aria-label={`Average of node ${n.id} value`}>{st?.avg != null ? spec.format(st.avg) : '-'}</td>
              <td aria-label={`Peak of node ${n.id}`} data-value={st?.peak ?? ''}>{st?.peak != null ? spec.format(st.peak) : '-'}</td>
              <td aria-label={`Peak time of node ${n.id}`} data-t={st?.peakT ?? ''}>{st?.peakT != null ? clock(st.peakT) : '-'}</td>
              <td>
                <button type="button" aria-label={`Average of node ${n.id}`} title="Average over the shown range"
                  onClick={() => openWindow(`history/average/${spec.main}/${n.id}/${backup ?? 'current'}/${Math.round(series.from)}/${Math.round(series.to)}`, `avg-${spec.main}-${n.id}`)}>
                  X
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function MetricHistoryWindow({ bridge, spec }: { bridge: MosixviewBridge; spec: WindowSpec }) {
  const choice = useCollector(bridge);
  const [backup, setBackup] = useState<string>();
  const [range, setRange] = useState<[number, number]>();
  const [refresh, setRefresh] = useState(true);
  const { series, error, reload } = useSeries(bridge, spec.charts.map((c) => c.metric), { backup, range, refresh }, choice?.nodeId);
  const shown = series ? ([series.from, series.to] as [number, number]) : undefined;
  const scaleRange = (f: number) => {
    if (!shown) return;
    const mid = (shown[0] + shown[1]) / 2;
    const half = Math.max(30_000, ((shown[1] - shown[0]) * f) / 2);
    setRange([Math.round(mid - half), Math.round(mid + half)]);
  };
  return (
    <HistoryFrame
      title={spec.title}
      choice={choice}
      backup={backup}
      onBackup={(b) => {
        setBackup(b);
        setRange(undefined);
      }}
      started={series?.started}
      refresh={{ on: refresh, set: setRefresh, reload: () => void reload() }}
      zoom={{ zoomed: !!range, zoomIn: () => scaleRange(0.5), zoomOut: () => scaleRange(2), whole: () => setRange(undefined) }}
      error={error}
    >
      {!series && !error && <p role="status">Reading the history…</p>}
      {series && (
        <>
          {spec.charts.map((c) => (
            <HistoryChart key={c.metric} series={series} metric={c.metric} title={c.title} unit={c.unit} scale={c.scale}
              thresholds={c.thresholds} onZoom={(a, b) => setRange([a, b])} height={spec.charts.length > 1 ? 190 : 320} />
          ))}
          <p className="checkpoint-list" aria-label="Checkpoints">
            {series.checkpoints.length ? `Checkpoints: ${series.checkpoints.map((c) => `${c.label || 'unnamed'} at ${clock(c.t)}`).join(', ')}` : 'No checkpoints in this range'}
          </p>
          <NodeTable series={series} spec={spec} backup={backup} />
        </>
      )}
    </HistoryFrame>
  );
}
