/**
 * The quantities the history charts draw, defined once: the collector's per-minute
 * summaries and the agent's per-second reads must compute them identically, or a
 * whole-day chart (from summaries) and a zoomed one (from raw seconds) would disagree.
 */
import type { HistoryMetric } from '../../shared/protocol/agentHistory.js';
import { loadPercent } from '../../shared/loadFigures.js';
import type { HistoryNodeSample } from '../../shared/history/types.js';

export const HISTORY_METRICS: Record<HistoryMetric, (n: HistoryNodeSample) => number> = {
  load: (n) => loadPercent(n),
  mem: (n) => n.memKb,
  rmem: (n) => n.rmemKb,
  tmem: (n) => n.tmemKb,
  diskRead: (n) => n.diskReadBps,
  diskWrite: (n) => n.diskWriteBps,
  netRx: (n) => n.netRxBps,
  netTx: (n) => n.netTxBps,
};

/** Summaries store every metric, in this order; all but load as whole numbers (summary.ts). */
export const METRIC_ORDER: readonly HistoryMetric[] = ['load', 'mem', 'rmem', 'tmem', 'diskRead', 'diskWrite', 'netRx', 'netTx'];
