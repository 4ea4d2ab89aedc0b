/** Peer requests of the collector's history: what the collector's node asks of every other node. */
import type { HistoryProc } from '../history/types.js';

export type PeerHistoryRequests = {
  /** The node's process list now, trimmed as the process history keeps it (docs/HISTORY.md). */
  'history.procList': { req: null; res: HistoryProc[] };
};
