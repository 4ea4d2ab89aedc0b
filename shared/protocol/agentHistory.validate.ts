/** One validator per agent request of the collector and its history (agentHistory.ts); the GUI's history API reuses them. */
import type { NodeView } from '../domain/node.js';
import { CHECKPOINT_LABEL_MAX, type HistoryAgentRequests, type HistoryMetric } from './agentHistory.js';
import { nodeId } from './fields.validate.js';
import { EXPORT_FAMILY_NAMES } from '../history/exportFormat.js';
import { array, bool, custom, int, invalid, isRecord, none, num, obj, oneOf, optional, refine, show, str, type Validators } from './validate.js';

/** The metric names, kept complete against HistoryMetric: compared as values, so "toString" is none of them. */
export const HISTORY_METRIC_NAMES: readonly HistoryMetric[] = Object.keys({ load: 1, mem: 1, rmem: 1, tmem: 1, diskRead: 1, diskWrite: 1, netRx: 1, netTx: 1 } satisfies Record<HistoryMetric, 1>) as HistoryMetric[];

/** The range of a JavaScript Date: beyond it, adding a day or a second to a time changes nothing. */
const MAX_TIME = 8.64e15;
const time = num(-MAX_TIME, MAX_TIME, `a time in ms since 1970 (at most ${MAX_TIME})`);
/** Whether it names a backup (and so a directory in the collector's) is the agent's to say. */
const backup = str({ max: 200, want: 'the name of a history backup (like mosixview-20240301-120000), or "" for the current history' });

export const checkpointLabel = str({ max: CHECKPOINT_LABEL_MAX });

const buckets = int(1, 10_000);
const metrics = array(oneOf(HISTORY_METRIC_NAMES, `a metric name (${HISTORY_METRIC_NAMES.join(', ')})`), { min: 1, max: 16 });
export const historySeries = refine(
  obj({
    backup: optional(backup),
    from: optional(time),
    to: optional(time),
    buckets,
    recorded: optional(bool),
    metrics,
    since: optional(time),
  }),
  (r) => (r.recorded && r.since !== undefined ? { at: 'since', says: 'since needs the columns of the last answer: pass its from, to and buckets, not recorded' } : undefined),
);
export const historyPrepare = obj({ buckets, metrics });
// Node 0: a node outside any cluster records itself under 0 (docs/HISTORY.md).
const historyNode = int(0, 65535, 'a node number (0 to 65535)');
export const historyProcs = obj({ backup: optional(backup), t: optional(time), node: optional(historyNode) });
export const historyAt = obj({ backup: optional(backup), t: time });
const exportShape = {
  backup: optional(backup),
  family: oneOf(EXPORT_FAMILY_NAMES, `a history to export (${EXPORT_FAMILY_NAMES.join(', ')})`),
  from: time,
  to: time,
  nodes: optional(array(historyNode, { min: 1, max: 65535, want: 'a list of node numbers, or leave it out for every node' })),
};
const fromBeforeTo = (r: { from: number; to: number }) =>
  r.to < r.from ? { at: 'to', says: `the range ends (${r.to}) before it starts (${r.from}): give from before to` } : undefined;
/** An export's range and nodes (the desktop app's save), and one page of it (after: the last page's next). */
export const historyExportRange = refine(obj(exportShape), fromBeforeTo);
export const historyExport = refine(obj({ ...exportShape, after: optional(time) }), fromBeforeTo);

/**
 * A row of the GUI's pushed view: its identity and status are checked here; its figures are
 * the collector's to judge (a row with unusable figures is recorded as down, viewSources.ts).
 */
const observedRow = custom<NodeView>('a node row { id, host, status, sample? }', (v, at) => {
  if (!isRecord(v)) throw invalid(at, `expected a node row { id, host, status, sample? }, got ${show(v)}`);
  int(0, 65535).check(v.id, `${at}.id`);
  str({ max: 253 }).check(v.host, `${at}.host`);
  oneOf(['connecting', 'up', 'down'] as const).check(v.status, `${at}.status`);
  return v as unknown as NodeView;
});

export const historyAgentValidators = {
  'history.clusterView': none,
  'history.clusterProcs': none,
  'history.observe': obj({ self: nodeId, nodes: array(observedRow, { max: 65535 }) }),
  'history.status': none,
  'history.start': none,
  'history.stop': none,
  'history.checkpoint': obj({ label: checkpointLabel }),
  'history.rotate': none,
  'history.series': historySeries,
  'history.procs': historyProcs,
  'history.at': historyAt,
  'history.export': historyExport,
} satisfies Validators<HistoryAgentRequests>;
