/**
 * Screen-resolution downsampling that keeps spikes: each bucket (one pixel column)
 * keeps the minimum and maximum of its samples, so a one-second peak in a day drawn on
 * 800 pixels still reaches its full height. Also the average and the peak of the range.
 */
import { MINUTE } from './grid.js';
import type { MinMaxSeries, SeriesStats } from './types.js';

/** What a per-minute summary contributes to one metric of one node. */
export interface Span {
  min: number;
  max: number;
  sum: number;
  count: number;
  /** Time of the (first) maximum. */
  maxT: number;
}

/**
 * Column edges on the minute grid, each moved to the nearest whole minute (less than
 * half a column when columns are a minute or wider), so that every minute summary falls
 * into exactly one column and the column's min/max are exact for the seconds it covers.
 * The first and last edges stay at `from` and `to`.
 */
export function minuteEdges(from: number, to: number, buckets: number): number[] {
  const w = (to - from) / buckets;
  const edges = [from];
  for (let i = 1; i < buckets; i++) edges.push(Math.min(to, Math.max(from, Math.round((from + i * w) / MINUTE) * MINUTE)));
  edges.push(to);
  return edges;
}

/** Mean, peak and time of the peak of what was added, seconds and summarised spans alike. */
class StatsAccumulator {
  private sum = 0;
  private count = 0;
  private peak: number | null = null;
  private peakT: number | null = null;

  add(sum: number, count: number, max: number, maxT: number): void {
    this.sum += sum;
    this.count += count;
    // The earliest time wins a tie, so the order in which raw seconds and summaries arrive does not matter.
    if (this.peak === null || max > this.peak || (max === this.peak && maxT < this.peakT!)) {
      this.peak = max;
      this.peakT = maxT;
    }
  }

  stats(): SeriesStats {
    return { avg: this.count ? this.sum / this.count : null, peak: this.peak, peakT: this.peakT, samples: this.count };
  }
}

/** The stats of two disjoint stretches as one (a refresh's answer added to what came before). */
export function mergeStats(a: SeriesStats, b: SeriesStats): SeriesStats {
  const samples = a.samples + b.samples;
  const avg = samples ? ((a.avg ?? 0) * a.samples + (b.avg ?? 0) * b.samples) / samples : null;
  const bFirst = a.peak === null || (b.peak !== null && (b.peak > a.peak || (b.peak === a.peak && b.peakT! < a.peakT!)));
  const p = bFirst ? b : a;
  return { avg, peak: p.peak, peakT: p.peakT, samples };
}

export const NO_STATS: SeriesStats = { avg: null, peak: null, peakT: null, samples: 0 };

export class MinMaxBuckets {
  readonly min: (number | null)[];
  readonly max: (number | null)[];
  private readonly all = new StatsAccumulator();
  /** Of the values before `settledBefore` alone: what a later refresh will not read again. */
  private readonly before = new StatsAccumulator();
  /** Per bucket, the sum and count of its samples (for the mean). */
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private readonly width: number;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly buckets: number,
    /** Column edges (buckets + 1, from .. to) when columns are not all `width` wide. */
    private readonly edges?: readonly number[],
    /** A column edge: values before it also count in settledStats(). */
    private readonly settledBefore = -Infinity,
  ) {
    if (!(buckets >= 1) || !(to > from)) throw new RangeError(`bad range ${from}..${to} / ${buckets}`);
    if (edges && edges.length !== buckets + 1) throw new RangeError(`${edges.length} edges for ${buckets} buckets`);
    this.min = new Array<number | null>(buckets).fill(null);
    this.max = new Array<number | null>(buckets).fill(null);
    this.sums = new Float64Array(buckets);
    this.counts = new Float64Array(buckets);
    this.width = (to - from) / buckets;
  }

  bucketOf(t: number): number {
    const e = this.edges;
    if (!e) return Math.min(this.buckets - 1, Math.max(0, Math.floor((t - this.from) / this.width)));
    let lo = 0;
    let hi = this.buckets - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (e[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Start time of bucket i. */
  timeOf(i: number): number {
    return this.edges ? this.edges[i]! : this.from + i * this.width;
  }

  add(t: number, v: number): void {
    if (t < this.from || t > this.to || !Number.isFinite(v)) return;
    this.widen(this.bucketOf(t), v, v, v, 1);
    this.all.add(v, 1, v, t);
    if (t < this.settledBefore) this.before.add(v, 1, v, t);
  }

  /** A summarised stretch starting at `t` that lies within one bucket (a minute on `minuteEdges`). */
  addSpan(t: number, s: Span): void {
    this.addSpanIn(this.bucketOf(t), t, s.min, s.max, s.sum, s.count, s.maxT);
  }

  /**
   * addSpan with its bucket found by the caller and the span as numbers: a day's read adds
   * 92,000 node-minutes of one column each, and finds the column once per minute.
   */
  addSpanIn(bucket: number, t: number, min: number, max: number, sum: number, count: number, maxT: number): void {
    if (t < this.from || t > this.to || !(count > 0)) return;
    this.widen(bucket, min, max, sum, count);
    this.all.add(sum, count, max, maxT);
    // The span lies within one column, so on one side of a column edge.
    if (t < this.settledBefore) this.before.add(sum, count, max, maxT);
  }

  private widen(i: number, lo: number, hi: number, sum: number, count: number): void {
    this.sums[i] = this.sums[i]! + sum;
    this.counts[i] = this.counts[i]! + count;
    const min = this.min[i];
    const max = this.max[i];
    if (min === null || min === undefined || lo < min) this.min[i] = lo;
    if (max === null || max === undefined || hi > max) this.max[i] = hi;
  }

  series(): MinMaxSeries {
    const mean = Array.from(this.counts, (c, i) => (c ? this.sums[i]! / c : null));
    return { min: this.min, max: this.max, mean };
  }

  stats(): SeriesStats {
    return this.all.stats();
  }

  settledStats(): SeriesStats {
    return this.before.stats();
  }
}

/** Downsamples one ordered list of points; the streaming class does the work. */
export function minMaxDownsample(points: readonly { t: number; v: number }[], from: number, to: number, buckets: number): MinMaxSeries {
  const b = new MinMaxBuckets(from, to, buckets);
  for (const p of points) b.add(p.t, p.v);
  return b.series();
}
