import { describe, expect, it } from 'vitest';
import { labelPlacement, TIME_LABEL_HALF_PX, timeTickShift } from './lineGeometry.js';

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
