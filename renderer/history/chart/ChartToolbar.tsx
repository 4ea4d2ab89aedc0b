/** Above the charts: what range is shown, the recorded range and the whole day one click away, and zoom. */
import { dateTime, clock } from '../timeFormat.js';
import type { Range, View } from './viewRange.js';

export interface ToolbarProps {
  view: View;
  range: Range | undefined;
  /** Whether the range is the widest there is (the whole day): no zooming out from it. */
  widest: boolean;
  onView: (v: View) => void;
  onZoom: (factor: number) => void;
  /** Opens the process history at the cursor (and on the highlighted node); undefined while there is no cursor. */
  onProcesses?: () => void;
  /** What it would open, for its tooltip: "14:03:20 on node 2". */
  processesAt?: string;
}

const sameDay = (a: number, b: number) => new Date(a).toDateString() === new Date(b).toDateString();

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round((s / 3600) * 10) / 10} h`;
}

export function ChartToolbar({ view, range, widest, onView, onZoom, onProcesses, processesAt }: ToolbarProps) {
  return (
    <div className="chart-toolbar" role="toolbar" aria-label="Chart range">
      <button type="button" aria-pressed={view.mode === 'recorded'} onClick={() => onView({ mode: 'recorded' })}
        title="From the first to the last record, following new ones">Recorded range</button>
      <button type="button" aria-pressed={view.mode === 'day'} onClick={() => onView({ mode: 'day' })}>Whole day</button>
      <button type="button" onClick={() => onZoom(0.5)} disabled={!range}>Zoom in</button>
      <button type="button" onClick={() => onZoom(2)} disabled={!range || widest}>Zoom out</button>
      <output aria-label="Shown range">
        {range ? `${dateTime(range[0])} – ${sameDay(range[0], range[1]) ? clock(range[1]) : dateTime(range[1])} (${duration(range[1] - range[0])})` : ''}
      </output>
      <button type="button" onClick={onProcesses} disabled={!onProcesses}
        title={processesAt ? `The process history at ${processesAt}` : 'Put the cursor on a moment first (mouse or arrow keys in the chart)'}>Processes at this minute</button>
      <span className="chart-keys">wheel, + or − zoom · drag: zoom into a range · ←/→ cursor · click or Enter: processes at that minute</span>
    </div>
  );
}
