import { describe, expect, it } from 'vitest';
import { clampRange, DAY, dataMiddle, shownRange, viewOf, zoomBy } from './viewRange.js';

const M = 60_000;
const T0 = 1_764_386_901_000; // 03:28:21 UTC, not on a minute
// The first hour of a new admin: 40 minutes recorded.
const rec = { started: T0, last: T0 + 40 * M };

describe('the shown range', () => {
  it('opens on the recorded data, follows it as it grows, and the whole day is its own view', () => {
    expect(shownRange({ mode: 'recorded' }, rec)).toEqual([T0, T0 + 40 * M]);
    expect(shownRange({ mode: 'recorded' }, { started: T0, last: T0 + 3000 })).toEqual([T0, T0 + M]);
    expect(shownRange({ mode: 'day' }, rec)).toEqual([T0, T0 + DAY]);
    // A history kept longer than a day (rotateEveryS) shows all of it as its "day".
    expect(shownRange({ mode: 'day' }, { started: T0, last: T0 + DAY + 5 * M })).toEqual([T0, T0 + DAY + 5 * M]);
  });
  it('zooms around the cursor, or towards the middle of the data shown', () => {
    const day = shownRange({ mode: 'day' }, rec);
    // Zoom in on the whole day without a cursor: towards the data, not the empty middle of the day.
    expect(dataMiddle(day, rec)).toBe(T0 + 20 * M);
    expect(zoomBy(day, 0.5, rec)).toEqual([T0, T0 + DAY / 2]);
    expect(zoomBy([T0 + 10 * M, T0 + 30 * M], 2, rec)).toEqual([T0, T0 + 40 * M]);
    // With a cursor, the time under it stays where it is on the axis.
    expect(zoomBy([T0, T0 + 40 * M], 0.5, rec, T0 + 10 * M)).toEqual([T0 + 5 * M, T0 + 25 * M]);
    // A cursor outside the range does not count.
    expect(zoomBy([T0, T0 + 40 * M], 0.5, rec, T0 + 50 * M)).toEqual([T0 + 10 * M, T0 + 30 * M]);
  });
  it('stays within the day and no narrower than 20 s', () => {
    expect(clampRange([T0 - 5 * M, T0 + 5 * M], rec)).toEqual([T0, T0 + 10 * M]);
    expect(clampRange([T0 + 100, T0 + 200], rec)).toEqual([T0 + 100, T0 + 20_100]);
    expect(zoomBy([T0, T0 + DAY], 4, rec, T0)).toEqual([T0, T0 + DAY]);
    expect(viewOf([T0, T0 + DAY], rec)).toEqual({ mode: 'day' });
    expect(viewOf([T0, T0 + M], rec)).toEqual({ mode: 'zoom', from: T0, to: T0 + M });
  });
});
