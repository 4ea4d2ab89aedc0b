/**
 * A metric history window's first read, made while the window is being made. Its opener
 * says what the window will ask (history.prepare: the recorded range of the current history
 * on the columns of the window's width, renderer/history/openMetricWindow.ts); the main
 * process asks the collector's agent for exactly that at once and holds the answer, and the
 * window's own first request takes it. A new window took some 100-250 ms before it asked, and
 * the agent's read, its answer (some 750 kB for a day of 64 nodes) and the relay to the
 * window as long again after that (docs/BENCHMARKS.md, "History store"); now those overlap.
 *
 * An answer is taken once and only within PREPARED_TTL_MS: anything else (another node, a backup, a
 * range, a refresh, a second window) goes to the agent as before. The window's 2 s refresh
 * then adds what was recorded since the prepared read.
 */
import type { HistoryMetric, HistoryPrepareRequest, HistorySeries, HistorySeriesRequest } from '../../shared/protocol/agentHistory.js';
import type { NodeId } from '../../shared/domain/node.js';

/** Longer than a new window takes to ask on a loaded machine; what it shows is then at most this old until its first refresh, 2 s later. */
export const PREPARED_TTL_MS = 10_000;
/** The Load, Memory and I/O windows opened at once. */
const MAX_HELD = 4;

const keyOf = (nodeId: NodeId, buckets: number, metrics: readonly HistoryMetric[]) => `${nodeId}|${buckets}|${[...new Set(metrics)].sort().join(',')}`;

export class PreparedSeries {
  private readonly held = new Map<string, { at: number; answer: Promise<HistorySeries> }>();

  constructor(
    private readonly ttlMs = PREPARED_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the read the window will ask for on `nodeId` (the collector's) and holds it. */
  prepare(nodeId: NodeId, req: HistoryPrepareRequest, read: (q: HistorySeriesRequest) => Promise<HistorySeries>): void {
    this.dropStale();
    const answer = read({ recorded: true, buckets: req.buckets, metrics: req.metrics });
    answer.catch(() => undefined); // a failed read is the window's to ask again, not an unhandled rejection here
    const key = keyOf(nodeId, req.buckets, req.metrics);
    this.held.delete(key);
    this.held.set(key, { at: this.now(), answer });
    while (this.held.size > MAX_HELD) this.held.delete(this.held.keys().next().value!);
  }

  /** The held answer for exactly this request on `nodeId`, once; undefined for any other request. */
  take(nodeId: NodeId, req: HistorySeriesRequest): Promise<HistorySeries> | undefined {
    this.dropStale();
    const firstRead = req.recorded === true && req.backup === undefined && req.since === undefined && req.from === undefined && req.to === undefined;
    if (!firstRead) return undefined;
    const key = keyOf(nodeId, req.buckets, req.metrics);
    const h = this.held.get(key);
    this.held.delete(key);
    return h?.answer;
  }

  private dropStale(): void {
    const now = this.now();
    for (const [k, h] of this.held) if (now - h.at > this.ttlMs) this.held.delete(k);
  }
}
