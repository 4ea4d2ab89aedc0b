/**
 * What a history chart shows and what it asks the agent for. The shown range opens on the
 * recorded data (first to last second, following it while it grows), the whole day is one
 * click away, and zooming keeps the cursor (or the middle of the data shown) in place.
 * The columns asked for are a grid on round steps (shared/history/grid.ts), so the 2 s
 * refresh adds columns to the same grid (history.series since) instead of reading the day
 * again, and a zoom is drawn at once on the columns held while its finer ones come.
 */
import { recordedRange } from '../../../shared/history/grid.js';

export { gridFor, sameGrid, type Grid } from '../../../shared/history/grid.js';
export const DAY = 86_400_000;
/** The narrowest range: the store holds one sample a second. */
export const MIN_SPAN = 20_000;

export type View = { mode: 'recorded' } | { mode: 'day' } | { mode: 'zoom'; from: number; to: number };

export interface Recorded {
  /** Start of the history, and its last record. */
  started: number;
  last: number;
}

export type Range = readonly [number, number];

/** How far out one may zoom: the day from the start of the history, or longer if it holds more. */
export function outerRange(r: Recorded): Range {
  return [r.started, Math.max(r.started + DAY, r.last)];
}

export function shownRange(view: View, r: Recorded): Range {
  if (view.mode === 'day') return outerRange(r);
  if (view.mode === 'zoom') return [view.from, view.to];
  return recordedRange(r.started, r.last);
}

/** Keeps a range within the outer range, at least MIN_SPAN and at most the outer range wide. */
export function clampRange(range: Range, r: Recorded): Range {
  const [lo, hi] = outerRange(r);
  const span = Math.min(hi - lo, Math.max(MIN_SPAN, range[1] - range[0]));
  const from = Math.min(hi - span, Math.max(lo, range[0]));
  return [Math.round(from), Math.round(from + span)];
}

/** The middle of the recorded data within the range (the range's middle if it shows none). */
export function dataMiddle(range: Range, r: Recorded): number {
  const lo = Math.max(range[0], r.started);
  const hi = Math.min(range[1], r.last);
  return hi > lo ? (lo + hi) / 2 : (range[0] + range[1]) / 2;
}

/**
 * The range `factor` times as wide (< 1 zooms in): around the cursor if it is in the range
 * (it stays where it is on the axis), else centred on the middle of the data shown.
 */
export function zoomBy(range: Range, factor: number, r: Recorded, cursor?: number): Range {
  const [a, b] = range;
  if (cursor !== undefined && cursor >= a && cursor <= b) {
    return clampRange([cursor - (cursor - a) * factor, cursor + (b - cursor) * factor], r);
  }
  const mid = dataMiddle(range, r);
  const half = ((b - a) * factor) / 2;
  return clampRange([mid - half, mid + half], r);
}

/** The view after a zoom: the recorded range or the whole day again when a zoom out reaches it. */
export function viewOf(range: Range, r: Recorded): View {
  const [lo, hi] = outerRange(r);
  if (range[0] <= lo && range[1] >= hi) return { mode: 'day' };
  return { mode: 'zoom', from: range[0], to: range[1] };
}
