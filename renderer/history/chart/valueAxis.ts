/** The value axis of a history chart: its top and round ticks, from the highest value shown. */
import type { HistoryMetric, HistorySeries } from '../../../shared/protocol/agentHistory.js';
import { visibleColumns } from './lineGeometry.js';
import { valueTicks } from './ticks.js';

export interface ValueAxis {
  top: number;
  ticks: number[];
  label: (v: number) => string;
}

/** The highest value of any node in the columns of the range (after scaling). */
export function visiblePeak(s: HistorySeries, metric: HistoryMetric, range: readonly [number, number], scale = 1): number {
  const [c0, c1] = visibleColumns(s, range[0], range[1]);
  let top = 0;
  for (const n of s.nodes) {
    const m = n.series[metric];
    if (!m) continue;
    const { min, max } = m;
    const end = Math.min(c1 - s.first, max.length - 1);
    // The arrays straight: no object per column on the way to the first drawn chart. Only a
    // maximum above the peak so far is checked for data (its minimum): most are not.
    for (let i = Math.max(0, c0 - s.first); i <= end; i++) {
      const hi = max[i];
      if (hi === null || hi === undefined || hi <= top) continue;
      const lo = min[i];
      if (lo !== null && lo !== undefined) top = hi;
    }
  }
  return top / scale;
}

/** Load: 0..100 % at least (0/25/50/75/100), more when a node is overloaded (0/50/.../200). */
export function loadAxis(peak: number): ValueAxis {
  const v = valueTicks(Math.max(100, peak));
  return { top: v.top, ticks: v.ticks, label: (x) => String(x) };
}

/** Memory in MB, counted in GB once it reaches 2 GB (0/5/10/15/20 GB rather than 0/5000/...). */
export function memoryAxis(peakMb: number): ValueAxis {
  return binaryAxis(peakMb, 'MB', 'GB');
}

/** Byte rates in kB/s, counted in MB/s once they reach 2 MB/s; at least 0..10 kB/s, so an idle node's line lies on the floor, not mid-chart. */
export function rateAxis(peakKbps: number): ValueAxis {
  return binaryAxis(Math.max(10, peakKbps), 'kB/s', 'MB/s');
}

/** Ticks in `small` units, or in `big` (1024 of them) from 2048 on. */
function binaryAxis(peak: number, small: string, big: string): ValueAxis {
  if (peak < 2048) {
    const v = valueTicks(peak);
    return { top: v.top, ticks: v.ticks, label: (x) => `${x} ${small}` };
  }
  const v = valueTicks(peak / 1024);
  return { top: v.top * 1024, ticks: v.ticks.map((x) => x * 1024), label: (x) => `${Math.round((x / 1024) * 100) / 100} ${big}` };
}
