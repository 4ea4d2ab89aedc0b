import { describe, expect, it } from 'vitest';
import { MinMaxBuckets, minMaxDownsample, minuteEdges } from './downsample.js';

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
  it('gives each column the mean of its seconds, summarised or not, and none where it is empty', () => {
    const edges = [0, 120, 240, 300];
    const b = new MinMaxBuckets(0, 300, 3, edges);
    b.add(0, 4);
    b.addSpan(60, { min: 1, max: 9, sum: 20, count: 5, maxT: 70 });
    b.add(250, 3);
    expect(b.series().mean).toEqual([4, null, 3]);
    const c = new MinMaxBuckets(0, 100, 2);
    c.add(10, 1);
    c.add(20, 2);
    expect(c.series().mean).toEqual([1.5, null]);
  });
  it('has no stats without samples', () => {
    expect(new MinMaxBuckets(0, 1, 1).stats()).toEqual({ avg: null, peak: null, peakT: null, samples: 0 });
  });
  it('moves column edges to whole minutes, keeping the ends, so a minute never straddles two columns', () => {
    const from = 1_700_000_017_500;
    const e = minuteEdges(from, from + 86_400_000, 1000);
    expect(e).toHaveLength(1001);
    expect(e[0]).toBe(from);
    expect(e[1000]).toBe(from + 86_400_000);
    for (let i = 1; i < 1000; i++) {
      expect(e[i]! % 60_000).toBe(0);
      expect(Math.abs(e[i]! - (from + i * 86_400))).toBeLessThanOrEqual(30_000);
      expect(e[i]!).toBeGreaterThan(e[i - 1]!);
    }
  });
  it('merges summarised spans like the seconds they stand for; the earliest peak wins a tie', () => {
    const edges = [0, 120, 240, 300];
    const a = new MinMaxBuckets(0, 300, 3, edges);
    const b = new MinMaxBuckets(0, 300, 3, edges);
    const pts = [[0, 5], [30, 9], [60, 1], [130, 9], [250, 3], [299, 4]] as const;
    for (const [t, v] of pts) a.add(t, v);
    b.addSpan(0, { min: 5, max: 9, sum: 14, count: 2, maxT: 30 });
    b.add(130, 9); // arrives before the span holding the earlier 9
    b.addSpan(60, { min: 1, max: 1, sum: 1, count: 1, maxT: 60 });
    b.addSpan(240, { min: 3, max: 4, sum: 7, count: 2, maxT: 299 });
    expect(b.series()).toEqual(a.series());
    expect(b.stats()).toEqual(a.stats());
    expect(b.stats().peakT).toBe(30);
    expect(a.bucketOf(119)).toBe(0);
    expect(a.bucketOf(120)).toBe(1);
    expect(a.bucketOf(300)).toBe(2);
  });
});
