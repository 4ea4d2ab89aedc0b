import { describe, expect, it } from 'vitest';
import { above, chartRows } from './chartData.js';
import type { HistorySeries } from '../../shared/protocol/agentHistory.js';

const series: HistorySeries = {
  backup: null, started: 0, last: 400, from: 0, to: 400, buckets: 4, checkpoints: [],
  nodes: [{ id: 2, host: 'b', series: { load: { min: [10, 40, null, 60], max: [20, 95, null, 70], stats: { avg: 1, peak: 95, peakT: 150, samples: 9 } } } }],
};

describe('chart rows', () => {
  it('splits each pixel column into its normal, yellow (> 50) and red (> 80) parts', () => {
    const { rows, keys } = chartRows(series, 'load', true);
    expect(keys).toEqual([{ id: 2, normal: 'n2', warn: 'n2w', alert: 'n2a' }]);
    expect(rows.map((r) => r.t)).toEqual([50, 150, 250, 350]);
    expect(rows.map((r) => r.n2)).toEqual([[10, 20], [40, 95], null, [60, 70]]);
    expect(rows.map((r) => r.n2w)).toEqual([null, [50, 95], null, [60, 70]]);
    expect(rows.map((r) => r.n2a)).toEqual([null, [80, 95], null, null]);
  });
  it('scales memory without threshold parts', () => {
    const { rows, keys } = chartRows(series, 'load', false, 10);
    expect(keys[0]!.warn).toBeUndefined();
    expect(rows[1]!.n2).toEqual([4, 9.5]);
  });
  it('above() is null when the bucket stays at or below the floor', () => {
    expect(above(1, 50, 50)).toBeNull();
    expect(above(null, 90, 50)).toBeNull();
    expect(above(10, 90, 80)).toEqual([80, 90]);
  });
});
