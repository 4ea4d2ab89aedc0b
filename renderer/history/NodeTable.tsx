/**
 * The per-node table of a metric history window: what a screen reader reads instead of the
 * chart (colour, host, average and peak over the shown range, the value at the cursor), and
 * where a node is chosen: its Export checkbox says whether File, Export writes it; hovering
 * a row, focusing its node button (the keyboard's hover) or pressing it highlights its band
 * and line and dims the others.
 */
import type { HistorySeries } from '../../shared/protocol/agentHistory.js';
import { columnOf } from '../../shared/history/seriesMerge.js';
import { openWindow } from '../windows.js';
import { routes } from '../../shared/windows.js';
import { nodeColour } from './chart/chartColours.js';
import { columnValue } from './chart/lineGeometry.js';
import { describeValue, levelOf } from './chart/CursorReadout.js';
import type { WindowSpec } from './windowSpecs.js';
import { clock } from './timeFormat.js';

export interface NodeTableProps {
  series: HistorySeries;
  spec: WindowSpec;
  backup: string | undefined;
  range: readonly [number, number];
  cursor: number | undefined;
  highlight: number | undefined;
  pinned: number | undefined;
  onHover: (id: number | undefined) => void;
  onPin: (id: number | undefined) => void;
  /** Nodes left out of File, Export (all are in by default). */
  unchosen: ReadonlySet<number>;
  onChoose: (id: number, chosen: boolean) => void;
}

export function NodeTable({ series, spec, backup, range, cursor, highlight, pinned, onHover, onPin, unchosen, onChoose }: NodeTableProps) {
  const atCursor = (id: number) =>
    cursor === undefined ? '' : describeValue(columnValue(series.nodes.find((n) => n.id === id)?.series[spec.main], series, columnOf(series, cursor)), spec.format);
  const level = (v: number | null | undefined) => (spec.main === 'load' && v != null ? `level-${levelOf(v)}` : undefined);
  // With several charts, which one the figures are of.
  const of = spec.charts.length > 1 ? spec.charts.find((c) => c.metric === spec.main)?.title : undefined;
  return (
    <table className="history-nodes" aria-label={`${spec.title} per node`} onMouseLeave={() => onHover(undefined)}>
      {of && <caption className="history-nodes-of">Average, peak and value at the cursor of {of}</caption>}
      <thead>
        <tr><th title="Nodes File, Export writes">Export</th><th>Node</th><th>Colour</th><th>Host</th><th>Average</th><th>Peak</th><th>Peak at</th><th className="at-cursor">{cursor !== undefined ? `At ${clock(cursor)}` : 'At cursor'}</th><th /></tr>
      </thead>
      <tbody>
        {series.nodes.map((n) => {
          const st = n.series[spec.main]?.stats;
          return (
            <tr key={n.id} aria-label={`Node ${n.id} history`} className={n.id === highlight ? 'lit' : undefined} onMouseEnter={() => onHover(n.id)}>
              <td>
                <input type="checkbox" aria-label={`Export node ${n.id}`} title="Include this node in File, Export" checked={!unchosen.has(n.id)}
                  onChange={(e) => onChoose(n.id, e.target.checked)} />
              </td>
              <td>
                <button type="button" className="highlight-node" aria-pressed={pinned === n.id} aria-label={`Highlight node ${n.id}`}
                  title="Highlight this node's line (press again to stop)" onClick={() => onPin(pinned === n.id ? undefined : n.id)}
                  onFocus={() => onHover(n.id)} onBlur={() => onHover(undefined)}>
                  {n.id}
                </button>
              </td>
              <td aria-label={`Colour of node ${n.id}`} title={`node ${n.id}'s line in the chart`}>
                <span className="swatch" style={{ background: nodeColour(n.id) }} data-colour={nodeColour(n.id)} />
              </td>
              <td>{n.host}</td>
              <td aria-label={`Average of node ${n.id} value`} className={level(st?.avg)}>{st?.avg != null ? spec.format(st.avg) : '-'}</td>
              <td aria-label={`Peak of node ${n.id}`} data-value={st?.peak ?? ''} className={level(st?.peak)}>{st?.peak != null ? spec.format(st.peak) : '-'}</td>
              <td aria-label={`Peak time of node ${n.id}`} data-t={st?.peakT ?? ''}>{st?.peakT != null ? clock(st.peakT) : '-'}</td>
              <td aria-label={`Node ${n.id} at the cursor`}>{atCursor(n.id)}</td>
              <td>
                <button type="button" aria-label={`Average of node ${n.id}`} title="Average over the shown range"
                  onClick={() => openWindow(routes.average(spec.main, n.id, backup, { from: range[0], to: range[1] }), `avg-${spec.main}-${n.id}`)}>
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
