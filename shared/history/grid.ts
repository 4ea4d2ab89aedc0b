/**
 * The columns a history chart asks for: round steps (whole seconds or minutes, so minute
 * columns come whole from the summaries) from a whole multiple of the step, at most one per
 * pixel. Shared by the windows and the agent, which picks the same grid when asked for the
 * recorded range before the window knows where that is (history.series `recorded`).
 */
export const FIRST_SPAN = 60_000;

/** Columns a chart in a window `innerWidth` wide asks for: about one per pixel of the plot (the window less the axis and margins). */
export const plotWidthFor = (innerWidth: number) => Math.max(200, Math.round(innerWidth - 100));

/** The minute grid the collector's summaries lie on. */
export const MINUTE = 60_000;
export const minuteOf = (t: number): number => t - (((t % MINUTE) + MINUTE) % MINUTE);

const S = 1000;
const M = 60 * S;
export const COLUMN_STEPS = [S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, 60 * M, 120 * M, 240 * M];
const MAX_BUCKETS = 10_000;

export interface Grid {
  from: number;
  to: number;
  buckets: number;
}

/** The recorded range of a history: its start to its last record, a minute at least (a new history opens on a minute, not a sliver). */
export function recordedRange(started: number, last: number): [number, number] {
  return [started, Math.max(last, started + FIRST_SPAN)];
}

/**
 * The columns for a range on a chart `widthPx` wide. A range that grows (the recorded range
 * of the live history) gets room for as many columns as pixels, so it keeps its grid, and
 * refreshes add to it, until its step would change.
 */
export function gridFor(range: readonly [number, number], widthPx: number, growing: boolean): Grid {
  const w = Math.max(50, Math.round(widthPx));
  const span = Math.max(1, range[1] - range[0]);
  const widest = COLUMN_STEPS[COLUMN_STEPS.length - 1]!;
  const step = COLUMN_STEPS.find((s) => s * w >= span) ?? Math.ceil(span / w / widest) * widest;
  const from = Math.floor(range[0] / step) * step;
  let buckets = Math.max(1, Math.ceil((range[1] - from) / step));
  if (growing) buckets = Math.max(buckets, w + 1);
  buckets = Math.min(MAX_BUCKETS, buckets);
  return { from, to: from + buckets * step, buckets };
}

/** Whether the columns held are the ones wanted: a refresh then continues them. */
export const sameGrid = (have: Grid, want: Grid) => have.from === want.from && have.to === want.to && have.buckets === want.buckets;
