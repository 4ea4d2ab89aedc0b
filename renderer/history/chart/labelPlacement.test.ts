import { describe, expect, it } from 'vitest';
import { labelPlacement } from './lineGeometry.js';

describe('checkpoint labels', () => {
  it('sit right of a line in the left half and left of one in the right half, inside the box', () => {
    expect(labelPlacement(100, 1000)).toEqual({ left: 103 });
    expect(labelPlacement(990, 1000)).toEqual({ right: 13 });
    expect(labelPlacement(1000, 1000)).toEqual({ right: 3 });
  });
});
