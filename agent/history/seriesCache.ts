/**
 * The agent keeps the history windows' last whole reads: a window opened again on the same
 * columns (or another window of the same metrics) reads only from the column holding the
 * last answer's `next` on, as a refresh does, and that is added to the kept read
 * (shared/history/seriesMerge.ts: equal to a whole read). A day of 64 nodes is then a few
 * columns decoded instead of 1440 summaries. The columns before `next` never change: the
 * store only grows, and a rotation is another history (its start differs).
 */
import type { HistoryMetric, HistorySeries } from '../../shared/protocol/agentHistory.js';
import { mergeSeries } from '../../shared/history/seriesMerge.js';
import type { HistoryReader } from '../collector/store/historyReader.js';
import { seriesOf } from './historyQueries.js';

/** The Load, Memory and I/O windows and one backup: a day of 64 nodes is about 1.5 MB a metric. */
export const SERIES_CACHE_ENTRIES = 4;

export interface WholeRead {
  from: number;
  to: number;
  buckets: number;
  metrics: HistoryMetric[];
}

export class SeriesCache {
  /** In order of use, the oldest first. */
  private readonly kept = new Map<string, HistorySeries>();

  constructor(private readonly entries = SERIES_CACHE_ENTRIES) {}

  /** A whole read of `q` from `r` (the history `name`, null: the current one), from what is kept where it can. */
  read(r: HistoryReader, name: string | null, q: WholeRead): HistorySeries {
    const key = [name ?? '', r.header.started, q.from, q.to, q.buckets, [...q.metrics].sort().join(',')].join('|');
    const had = this.kept.get(key);
    this.kept.delete(key);
    // A history that lost its end (a torn record cut at a collector's start) is read whole again.
    const grown = had && Math.max(r.header.started, r.lastTime()) >= had.last;
    const s = (grown && mergeSeries(had, seriesOf(r, name, { ...q, since: had.next }))) || seriesOf(r, name, q);
    this.kept.set(key, s);
    if (this.kept.size > this.entries) this.kept.delete(this.kept.keys().next().value!);
    return s;
  }
}
