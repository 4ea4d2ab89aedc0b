import { describe, expect, it } from 'vitest';
import { labelPlacement, TIME_LABEL_HALF_PX, timeTickLabels, timeTickShift } from './lineGeometry.js';

describe('checkpoint labels', () => {
  it('sit right of a line in the left half and left of one in the right half, inside the box', () => {
    expect(labelPlacement(100, 1000)).toEqual({ left: 103 });
    expect(labelPlacement(990, 1000)).toEqual({ right: 13 });
    expect(labelPlacement(1000, 1000)).toEqual({ right: 3 });
  });
});

describe('a time tick\'s label', () => {
  it('is centred under its tick, but ends at the tick near the right edge and starts at it near the left, so it never leaves the chart', () => {
    expect(timeTickShift(500, 1000)).toBe('-50%');
    // A tick at the range's last second sits MARGIN.right (14 px) from the edge: a centred "22:47:50" (about 46 px) would stick out.
    expect(timeTickShift(986, 1000)).toBe('-100%');
    expect(timeTickShift(1000 - TIME_LABEL_HALF_PX, 1000)).toBe('-50%');
    expect(timeTickShift(10, 1000)).toBe('0%');
  });
});

describe('the time ticks\' labels together', () => {
  const extent = (l: { x: number; shift: string }) => {
    const w = 2 * TIME_LABEL_HALF_PX;
    const left = l.shift === '-100%' ? l.x - w : l.shift === '0%' ? l.x : l.x - w / 2;
    return [left, left + w] as const;
  };

  it('never run into each other: a label pushed left at the right edge gives way to its neighbour', () => {
    // 70 px apart on a 1000 px chart, the last tick 10 px from the edge: ended at its tick, it would reach into the one before.
    const shown = timeTickLabels([850, 920, 990], 1000);
    for (let i = 1; i < shown.length; i++) expect(extent(shown[i]!)[0], JSON.stringify(shown)).toBeGreaterThanOrEqual(extent(shown[i - 1]!)[1]);
    expect(shown.map((l) => l.x)).toEqual([850, 920]);
  });

  it('keeps every label when they fit, each shifted as timeTickShift says', () => {
    expect(timeTickLabels([10, 300, 600, 900], 1000)).toEqual([
      { i: 0, x: 10, shift: '0%' },
      { i: 1, x: 300, shift: '-50%' },
      { i: 2, x: 600, shift: '-50%' },
      { i: 3, x: 900, shift: '-50%' },
    ]);
  });
});
