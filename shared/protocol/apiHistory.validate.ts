/** One validator per request of the history API (apiHistory.ts), run in the main process's dispatch. */
import type { HistoryApiRequests } from './apiHistory.js';
import { nodeId } from './fields.validate.js';
import { checkpointLabel, historyAt, historyExport, historyExportRange, historyPrepare, historyProcs, historySeries } from './agentHistory.validate.js';
import { none, obj, oneOf, type Validators } from './validate.js';

export const historyApiValidators = {
  'history.collector': none,
  'history.setCollector': obj({ nodeId }),
  'history.startCollector': none,
  'history.stopCollector': none,
  'history.checkpoint': obj({ label: checkpointLabel }),
  'history.rotate': none,
  'history.series': historySeries,
  'history.prepare': historyPrepare,
  'history.procs': historyProcs,
  'history.at': historyAt,
  'history.export': historyExport,
  'history.exportFile': obj({ format: oneOf(['csv', 'json'] as const, 'csv or json'), export: historyExportRange }),
} satisfies Validators<HistoryApiRequests>;
