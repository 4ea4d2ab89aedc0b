/**
 * What is under the cursor: its time and every node's value there, in node order, each with
 * its colour and, for the load, its level. With 64 nodes sharing 8 colours this is where
 * the nodes are told apart; the highlighted node is marked.
 */
import type { HistoryMetric, HistorySeries } from '../../../shared/protocol/agentHistory.js';
import { columnOf, columnStart } from '../../../shared/history/seriesMerge.js';
import { clock } from '../timeFormat.js';
import { columnValue, type ColumnValue } from './lineGeometry.js';
import { ALERT, nodeColour, WARN } from './chartColours.js';

export interface ReadoutProps {
  series: HistorySeries;
  metric: HistoryMetric;
  title: string;
  scale: number;
  levels: boolean;
  format: (v: number) => string;
  t: number;
  highlight: number | undefined;
  /** Where it sits in the chart box: beside the cursor line, on the side with room. */
  x: number;
  flip: boolean;
  top: number;
  maxHeight: number;
}

const ROW = 16;

export function levelOf(v: number): 'normal' | 'warn' | 'alert' {
  return v > ALERT ? 'alert' : v > WARN ? 'warn' : 'normal';
}

/** A column's value: its mean, and the range of its seconds when they differ as shown. */
export function describeValue(v: ColumnValue | undefined, format: (x: number) => string): string {
  if (!v) return 'no data';
  const lo = format(v.min);
  const hi = format(v.max);
  return lo === hi ? format(v.mean) : `${format(v.mean)} (${lo}–${hi})`;
}

export function CursorReadout(p: ReadoutProps) {
  const c = columnOf(p.series, p.t);
  const a = columnStart(p.series, c);
  const b = columnStart(p.series, c + 1);
  // A column wider than a second holds a range of seconds: say so (values are their mean, min and max).
  const when = b - a > 1000 ? `${clock(a)}–${clock(b)}` : clock(p.t);
  const rows = Math.max(4, Math.floor((p.maxHeight - 24) / ROW));
  const nodes = p.series.nodes.filter((n) => n.series[p.metric]);
  const cols = Math.max(1, Math.ceil(nodes.length / rows));
  return (
    <div className={`cursor-readout${p.flip ? ' flip' : ''}`} style={{ left: p.x, top: p.top }}>
      <div className="readout-time">{when}</div>
      <ul aria-label={`${p.title} at ${clock(p.t)}`} style={{ gridTemplateColumns: `repeat(${cols}, auto)`, gridTemplateRows: `repeat(${Math.ceil(nodes.length / cols)}, auto)` }}>
        {nodes.map((n) => {
          const v = columnValue(n.series[p.metric], p.series, c, p.scale);
          const text = describeValue(v, p.format);
          const level = v && p.levels ? levelOf(v.mean) : 'normal';
          return (
            <li key={n.id} className={`level-${level}${n.id === p.highlight ? ' lit' : ''}`} aria-label={`node ${n.id}: ${text}`}>
              <span className="swatch" style={{ background: nodeColour(n.id) }} />
              <span className="readout-node">{n.id}</span>
              <span className="readout-value">{text}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
