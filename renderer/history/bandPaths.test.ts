import { describe, expect, it } from 'vitest';
import { band, bandPath, niceCeil, seriesBands, seriesPeak } from './bandPaths.js';
import type { HistorySeries } from '../../shared/protocol/agentHistory.js';

// Buckets of 100 ms from 0 to 400; x in pixels = t / 10, y = 100 - value (value 0 at the bottom).
const x = (t: number) => t / 10;
const y = (v: number) => 100 - v;

const series: HistorySeries = {
  backup: null, started: 0, last: 400, from: 0, to: 400, buckets: 4, first: 0, next: 300, checkpoints: [],
  nodes: [{ id: 2, host: 'b', series: { load: { min: [10, 40, null, 60], max: [20, 95, null, 70], mean: [15, 60, null, 65], stats: { avg: 1, peak: 95, peakT: 150, samples: 9 }, settled: { avg: 1, peak: 95, peakT: 150, samples: 9 } } } }],
};

describe('band paths', () => {
  it('draws each bucket over its whole column from minimum to maximum, one polygon per run', () => {
    const d = bandPath([10, 40, null, 60], [20, 95, null, 70], 0, 400, x, y);
    // Run 1: buckets 0-1 (x 0..20), top 80 then 5, bottom back 60 then 90. Run 2: bucket 3 (x 30..40).
    expect(d).toBe('M0 80V80H10V5H20V60H10V90H0Z' + 'M30 30V30H40V40H30Z');
  });
  it('keeps a one-bucket spike as a column of its own', () => {
    const d = bandPath([0, 0, 0, 0], [0, 0, 100, 0], 0, 400, x, y);
    expect(d).toContain('V0H30'); // the spike's top, across its column 20..30
  });
  it('cuts at the floor: only buckets whose maximum is above it, from the floor up', () => {
    expect(bandPath([10, 40, null, 60], [20, 95, null, 70], 0, 400, x, y, 80)).toBe('M10 5V5H20V20H10Z');
    expect(bandPath([10, 40, null, 60], [20, 95, null, 70], 0, 400, x, y, 50)).toBe('M10 5V5H20V50H10Z' + 'M30 30V30H40V40H30Z');
    expect(bandPath([1, 2], [50, 50], 0, 200, x, y, 50)).toBe('');
  });
  it('gives each run its top edge alone too, so a flat stretch above a level still shows as a line', () => {
    expect(band([90, 90, null, 95], [90, 90, null, 95], 0, 400, x, y, 80).top).toBe('M0 10V10H10V10H20' + 'M30 5V5H40');
  });
  it('draws columns between the given edges when they are not alike (moved to whole minutes)', () => {
    expect(bandPath([10, 40], [20, 95], 0, 200, x, y, -Infinity, 1, [0, 130, 200])).toBe('M0 80V80H13V5H20V60H13V90H0Z');
  });
  it('is empty where there is no data, and divides by the scale', () => {
    expect(bandPath([null, undefined], [null, 5], 0, 200, x, y)).toBe('');
    expect(bandPath([100], [200], 0, 100, x, y, -Infinity, 10)).toBe('M0 80V80H10V90H0Z');
  });
  it('gives the load its normal, yellow and red parts per node, memory only the normal one', () => {
    expect(seriesBands(series, 'load', x, y, true).map((b) => `${b.node}:${b.part}:${b.area !== ''}`)).toEqual(['2:normal:true', '2:warn:true', '2:alert:true']);
    expect(seriesBands(series, 'load', x, y, false).map((b) => b.part)).toEqual(['normal']);
    expect(seriesBands(series, 'mem', x, y, false)).toEqual([]);
  });
});

describe('value axis', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.7, 1, 1.2, 2.2, 3, 7, 95, 100, 101, 16_000].map(niceCeil)).toEqual([1, 1, 1, 2, 2.5, 5, 10, 100, 100, 200, 20_000]);
  });
  it('takes the highest maximum of any node, scaled', () => {
    expect(seriesPeak(series, 'load')).toBe(95);
    expect(seriesPeak(series, 'load', 5)).toBe(19);
    expect(seriesPeak(series, 'mem')).toBe(0);
  });
});
