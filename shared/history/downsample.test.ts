import { describe, expect, it } from 'vitest';
import { MinMaxBuckets, minMaxDownsample } from './downsample.js';

describe('min/max downsampling', () => {
  it('keeps a one-second spike in a day drawn on 800 pixels', () => {
    const day = 86_400_000;
    const b = new MinMaxBuckets(0, day, 800);
    for (let t = 0; t < day; t += 1000) b.add(t, t === 43_210_000 ? 97 : 5);
    const s = b.series();
    expect(Math.max(...s.max.map((v) => v ?? 0))).toBe(97);
    expect(s.max[b.bucketOf(43_210_000)]).toBe(97);
    expect(s.min[b.bucketOf(43_210_000)]).toBe(5);
    expect(s.max.filter((v) => v === 97)).toHaveLength(1);
    const st = b.stats();
    expect(st.peak).toBe(97);
    expect(st.peakT).toBe(43_210_000);
    expect(st.samples).toBe(86_400);
    expect(st.avg).toBeCloseTo(5 + 92 / 86_400, 9);
  });
  it('keeps a one-sample dip too, and leaves gaps empty', () => {
    const pts = [{ t: 0, v: 50 }, { t: 10, v: 2 }, { t: 20, v: 50 }, { t: 90, v: 40 }];
    const s = minMaxDownsample(pts, 0, 100, 4);
    expect(s.min).toEqual([2, null, null, 40]);
    expect(s.max).toEqual([50, null, null, 40]);
  });
  it('ignores samples outside the range and puts the end into the last bucket', () => {
    const s = minMaxDownsample([{ t: -1, v: 9 }, { t: 100, v: 7 }, { t: 101, v: 9 }], 0, 100, 2);
    expect(s.max).toEqual([null, 7]);
  });
  it('has no stats without samples', () => {
    expect(new MinMaxBuckets(0, 1, 1).stats()).toEqual({ avg: null, peak: null, peakT: null, samples: 0 });
  });
});
