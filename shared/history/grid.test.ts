import { describe, expect, it } from 'vitest';
import { gridFor, recordedRange, sameGrid } from './grid.js';

const M = 60_000;
const DAY = 86_400_000;
const T0 = 1_764_386_901_000; // not on a minute

describe('the columns asked for', () => {
  it('are round steps from a whole multiple, at most one per pixel', () => {
    const g = gridFor([T0, T0 + DAY], 1000, false);
    expect((g.to - g.from) / g.buckets).toBe(2 * M);
    expect(g.from % (2 * M)).toBe(0);
    expect(g.from).toBeLessThanOrEqual(T0);
    expect(g.to).toBeGreaterThanOrEqual(T0 + DAY);
    expect(g.buckets).toBe(721);
    const fine = gridFor([T0, T0 + 10 * M], 1000, false);
    expect((fine.to - fine.from) / fine.buckets).toBe(1000);
  });
  it('cover the recorded range, a minute at least', () => {
    expect(recordedRange(T0, T0 + 40 * M)).toEqual([T0, T0 + 40 * M]);
    expect(recordedRange(T0, T0 + 3000)).toEqual([T0, T0 + M]);
  });
  it('keep the same grid while the recorded range grows, until the step must change', () => {
    const first = gridFor([T0, T0 + 40 * M], 1000, true);
    const step = (first.to - first.from) / first.buckets;
    expect(step).toBe(5000);
    for (const last of [41 * M, 60 * M, 83 * M]) expect(sameGrid(gridFor([T0, T0 + last], 1000, true), first), `at ${last / M} min`).toBe(true);
    expect(sameGrid(gridFor([T0, T0 + 84 * M], 1000, true), first)).toBe(false);
  });
});
