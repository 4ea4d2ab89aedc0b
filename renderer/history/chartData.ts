/**
 * Turns the agent's per-pixel min/max series into rows recharts draws as range areas,
 * and splits the load into the normal, yellow (> 50) and red (> 80) parts of each bar.
 */
import type { HistoryMetric, HistorySeries } from '../../shared/protocol/agentHistory.js';

export const WARN = 50;
export const ALERT = 80;

export type Range = [number, number] | null;
export type ChartRow = { t: number } & Record<string, Range | number>;

export interface ChartKeys {
  id: number;
  normal: string;
  warn?: string;
  alert?: string;
}

/** The part of [lo, hi] above `floor`, or null when the bucket never gets there. */
export function above(lo: number | null | undefined, hi: number | null | undefined, floor: number): Range {
  if (lo === null || lo === undefined || hi === null || hi === undefined || hi <= floor) return null;
  return [Math.max(lo, floor), hi];
}

export function chartRows(s: HistorySeries, metric: HistoryMetric, thresholds: boolean, scale = 1): { rows: ChartRow[]; keys: ChartKeys[] } {
  const width = (s.to - s.from) / s.buckets;
  const rows: ChartRow[] = Array.from({ length: s.buckets }, (_, i) => ({ t: Math.round(s.from + (i + 0.5) * width) }));
  const keys: ChartKeys[] = [];
  for (const n of s.nodes) {
    const m = n.series[metric];
    if (!m) continue;
    const k: ChartKeys = { id: n.id, normal: `n${n.id}` };
    if (thresholds) Object.assign(k, { warn: `n${n.id}w`, alert: `n${n.id}a` });
    keys.push(k);
    for (let i = 0; i < s.buckets; i++) {
      const lo = m.min[i];
      const hi = m.max[i];
      const row = rows[i]!;
      row[k.normal] = lo === null || lo === undefined || hi === null || hi === undefined ? null : [lo / scale, hi / scale];
      if (thresholds) {
        row[k.warn!] = above(lo, hi, WARN);
        row[k.alert!] = above(lo, hi, ALERT);
      }
    }
  }
  return { rows, keys };
}

/** Dark "normal" colours, one per node; yellow, red and blue are kept for load levels and checkpoints. */
const PALETTE = ['#222222', '#1f6b3a', '#6a2c91', '#7a4a16', '#0f6e6e', '#5a5a5a', '#3d5c1f', '#8a2f5e'];
export const nodeColour = (id: number) => PALETTE[(id - 1 + PALETTE.length * 100) % PALETTE.length]!;
export const WARN_COLOUR = '#e0c020';
export const ALERT_COLOUR = '#d03030';
export const CHECKPOINT_COLOUR = '#1f4fd8';
