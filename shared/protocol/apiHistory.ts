/** Renderer -> main API for the collector and its history (issue: collector). docs/HISTORY.md */
import type { NodeId } from '../domain/node.js';
import type {
  ClusterMoment, CollectorStatus, HistoryExportPage, HistoryExportRequest, HistoryPrepareRequest, HistorySeries, HistorySeriesRequest, ProcHistory, ProcHistoryRequest,
} from './agentHistory.js';
import type { ExportFormat } from '../history/exportFormat.js';

export interface CollectorChoice {
  /** The node whose collector the history windows read (default 1, kept per profile). */
  nodeId: NodeId;
  /** Its collector's status, or null when its agent cannot be asked (then `error` says why). */
  status: CollectorStatus | null;
  error?: string;
}

/** The collector's node's answer to a control request (the words mosixcollector prints), and the choice after it. */
export interface CollectorAction {
  message: string;
  choice: CollectorChoice;
}

export type HistoryApiRequests = {
  'history.collector': { req: null; res: CollectorChoice };
  'history.setCollector': { req: { nodeId: NodeId }; res: CollectorChoice };
  'history.startCollector': { req: null; res: CollectorAction };
  'history.stopCollector': { req: null; res: CollectorAction };
  'history.checkpoint': { req: { label: string }; res: CollectorAction };
  /** Saves the current history as a dated backup (the File menu offers it) and starts a new one. */
  'history.rotate': { req: null; res: CollectorAction };
  'history.series': { req: HistorySeriesRequest; res: HistorySeries };
  /** Sent as a metric history window is opened: the main process reads its first columns meanwhile (electron/history/preparedSeries.ts). */
  'history.prepare': { req: HistoryPrepareRequest; res: null };
  'history.procs': { req: ProcHistoryRequest; res: ProcHistory };
  'history.at': { req: { backup?: string; t: number }; res: ClusterMoment | null };
  /** One page of an export from the collector's node (a browser window builds its download from them). */
  'history.export': { req: HistoryExportRequest; res: HistoryExportPage };
  /**
   * The desktop app: asks where to save (its save dialog), then writes the whole export there
   * from the main process. Null when the admin cancelled the dialog.
   */
  'history.exportFile': { req: { format: ExportFormat; export: Omit<HistoryExportRequest, 'after'> }; res: { path: string; rows: number } | null };
};
export type HistoryApiEvents = {
  'history.collectorChanged': CollectorChoice;
};
/** Runtime list of this feature's channels, checked complete against the map. */
export const HISTORY_API_CHANNELS = Object.keys({
  'history.collector': 1,
  'history.setCollector': 1,
  'history.startCollector': 1,
  'history.stopCollector': 1,
  'history.checkpoint': 1,
  'history.rotate': 1,
  'history.series': 1,
  'history.prepare': 1,
  'history.procs': 1,
  'history.at': 1,
  'history.export': 1,
  'history.exportFile': 1,
} satisfies Record<keyof HistoryApiRequests, 1>) as (keyof HistoryApiRequests)[];
export const HISTORY_API_EVENTS = Object.keys({
  'history.collectorChanged': 1,
} satisfies Record<keyof HistoryApiEvents, 1>) as (keyof HistoryApiEvents)[];
