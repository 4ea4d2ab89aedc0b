/**
 * Screen-resolution downsampling that keeps spikes: each bucket (one pixel column)
 * keeps the minimum and maximum of its samples, so a one-second peak in a day drawn on
 * 800 pixels still reaches its full height. Also the average and the peak of the range.
 */

export interface MinMaxSeries {
  /** Per bucket, null where there is no sample (node down or no history). */
  min: (number | null)[];
  max: (number | null)[];
}

export interface SeriesStats {
  /** Mean of every sample in the range (not of the buckets), or null without samples. */
  avg: number | null;
  peak: number | null;
  /** Time of the (first) peak. */
  peakT: number | null;
  samples: number;
}

export class MinMaxBuckets {
  readonly min: (number | null)[];
  readonly max: (number | null)[];
  private sum = 0;
  private count = 0;
  private peak: number | null = null;
  private peakT: number | null = null;
  private readonly width: number;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly buckets: number,
  ) {
    if (!(buckets >= 1) || !(to > from)) throw new RangeError(`bad range ${from}..${to} / ${buckets}`);
    this.min = new Array<number | null>(buckets).fill(null);
    this.max = new Array<number | null>(buckets).fill(null);
    this.width = (to - from) / buckets;
  }

  bucketOf(t: number): number {
    return Math.min(this.buckets - 1, Math.max(0, Math.floor((t - this.from) / this.width)));
  }

  /** Start time of bucket i. */
  timeOf(i: number): number {
    return this.from + i * this.width;
  }

  add(t: number, v: number): void {
    if (t < this.from || t > this.to || !Number.isFinite(v)) return;
    const i = this.bucketOf(t);
    const lo = this.min[i];
    const hi = this.max[i];
    if (lo === null || lo === undefined || v < lo) this.min[i] = v;
    if (hi === null || hi === undefined || v > hi) this.max[i] = v;
    this.sum += v;
    this.count++;
    if (this.peak === null || v > this.peak) {
      this.peak = v;
      this.peakT = t;
    }
  }

  series(): MinMaxSeries {
    return { min: this.min, max: this.max };
  }

  stats(): SeriesStats {
    return { avg: this.count ? this.sum / this.count : null, peak: this.peak, peakT: this.peakT, samples: this.count };
  }
}

/** Downsamples one ordered list of points; the streaming class does the work. */
export function minMaxDownsample(points: readonly { t: number; v: number }[], from: number, to: number, buckets: number): MinMaxSeries {
  const b = new MinMaxBuckets(from, to, buckets);
  for (const p of points) b.add(p.t, p.v);
  return b.series();
}
