import { describe, expect, it } from 'vitest';
import type { HistorySeries } from '../../../shared/protocol/agentHistory.js';
import { visiblePeak } from './valueAxis.js';

const stats = { avg: null, peak: null, peakT: null, samples: 0 };
/** Ten columns of 10 ms from 0; the answer holds them from column `first` on. */
const series = (first: number, nodes: { min: (number | null)[]; max: (number | null)[] }[]): HistorySeries => ({
  backup: null, started: 0, last: 100, from: 0, to: 100, buckets: 10, first, next: 100, checkpoints: [],
  nodes: nodes.map((m, i) => ({ id: i + 1, host: `n${i + 1}`, series: { load: { ...m, mean: m.max, stats, settled: stats } } })),
});

describe('the highest value a chart shows', () => {
  it('is the highest maximum of any node in the columns of the range and one beside each end', () => {
    const s = series(0, [
      { min: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], max: [90, 2, 3, 4, 5, 6, 7, 8, 9, 95] },
      { min: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], max: [0, 0, 0, 40, 0, 0, 0, 0, 0, 0] },
    ]);
    expect(visiblePeak(s, 'load', [0, 100])).toBe(95);
    expect(visiblePeak(s, 'load', [35, 55])).toBe(40); // columns 3..5, with 2 and 6 beside them
    expect(visiblePeak(s, 'load', [55, 65])).toBe(8);
    expect(visiblePeak(s, 'load', [0, 100], 5)).toBe(19);
  });

  it('passes over columns without data (a maximum without a minimum too), a metric not read, and columns the answer does not hold', () => {
    const s = series(4, [
      { min: [null, 1, 1, null, 1, 1], max: [70, 2, 30, 80, null, 3] },
      { min: [1], max: [50] },
    ]);
    expect(visiblePeak(s, 'load', [0, 100])).toBe(50);
    expect(visiblePeak(s, 'load', [0, 10])).toBe(0); // columns 0..2: before the answer's first
    expect(visiblePeak(s, 'mem', [0, 100])).toBe(0);
  });
});
