import { describe, expect, it } from 'vitest';
import type { HistorySeries } from '../../../shared/protocol/agentHistory.js';
import { columnValue, nearestNode, nodeShapes, visibleColumns } from './lineGeometry.js';

// Ten columns of 10 ms from 0 to 100; x in pixels = t, y = 100 - value.
const g = { from: 0, to: 100, buckets: 10, first: 0 };
const x = (t: number) => t;
const y = (v: number) => 100 - v;
const stats = { avg: null, peak: null, peakT: null, samples: 0 };

describe('a node line and its band', () => {
  it('joins the columns\' means at their middles; the band is a bar per column, at its middle, from its maximum to its minimum', () => {
    const s = nodeShapes({ min: [10, 10, 20], max: [10, 90, 20], mean: [10, 30, 20] }, g, [0, 100], x, y);
    expect(s.lines).toEqual([[5, 90, 15, 70, 25, 80]]);
    // The one-column spike to 90 keeps its full height in the band.
    expect(s.bands).toEqual([[5, 90, 5, 90], [15, 10, 15, 90], [25, 80, 25, 80]]);
  });
  it('breaks where a column holds nothing, and draws a lone column across its width', () => {
    const s = nodeShapes({ min: [10, 10, null, 30, null, 40, 40], max: [10, 10, null, 30, null, 50, 40], mean: [10, 10, null, 30, null, 45, 40] }, g, [0, 100], x, y);
    expect(s.lines).toEqual([[5, 90, 15, 90], [30, 70, 40, 70], [55, 55, 65, 60]]);
    expect(s.bands.map((b) => b[0])).toEqual([5, 15, 35, 55, 65]);
    expect(s.bands[4]).toEqual([65, 60, 65, 60]);
  });
  it('draws the columns of the range and one beyond each side, on columns that start later (a refresh answer)', () => {
    expect(visibleColumns(g, 30, 55)).toEqual([2, 6]);
    const later = { ...g, first: 4 };
    const s = nodeShapes({ min: [1, 2, 3, 4, 5, 6], max: [1, 2, 3, 4, 5, 6], mean: [1, 2, 3, 4, 5, 6] }, later, [60, 75], x, y);
    expect(s.lines).toEqual([[55, 98, 65, 97, 75, 96, 85, 95]]);
    expect(columnValue({ min: [1], max: [3], mean: [2] }, later, 4)).toEqual({ min: 1, max: 3, mean: 2 });
    expect(columnValue({ min: [1], max: [2], mean: [1.5] }, later, 3)).toBeUndefined();
  });
  it('divides by the scale (kB shown as MB), and takes the middle of the extremes without means', () => {
    expect(nodeShapes({ min: [2048, 2048], max: [2048, 2048], mean: [2048, 2048] }, g, [0, 20], x, y, 1024).lines).toEqual([[5, 98, 15, 98]]);
    expect(columnValue({ min: [2], max: [4] }, g, 0)).toEqual({ min: 2, max: 4, mean: 3 });
  });
});

describe('the node under the mouse', () => {
  const s: HistorySeries = {
    backup: null, started: 0, last: 100, ...g, next: 90, checkpoints: [],
    nodes: [
      { id: 1, host: 'a', series: { load: { min: [10, 20], max: [60, 20], mean: [20, 20], stats, settled: stats } } },
      { id: 2, host: 'b', series: { load: { min: [50, 60], max: [55, 60], mean: [52, 60], stats, settled: stats } } },
    ],
  };
  it('is the one whose band holds the value, the nearest line among several, or the nearest band within reach', () => {
    expect(nearestNode(s, 'load', 0, 25, 3)).toBe(1);
    expect(nearestNode(s, 'load', 0, 53, 3)).toBe(2); // inside both bands, nearer node 2's line
    expect(nearestNode(s, 'load', 0, 62, 3)).toBe(1);
    expect(nearestNode(s, 'load', 0, 70, 3)).toBeUndefined();
    expect(nearestNode(s, 'load', 1, 58, 3)).toBe(2);
    expect(nearestNode(s, 'mem', 1, 58, 3)).toBeUndefined();
  });
});
