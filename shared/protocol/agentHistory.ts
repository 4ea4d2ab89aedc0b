/** Agent requests and events for the collector and its history (issue: collector). docs/HISTORY.md */
import type { NodeId, NodeSample, NodeView } from '../domain/node.js';
import type { AlertMark, Checkpoint, MinMaxSeries, NodeProcs, ProcSnapshot, SeriesStats } from '../history/types.js';
import type { ExportFamily, ExportHead, ExportRow } from '../history/exportFormat.js';

/** One node as a cluster-view source knows it; `at` is when that knowledge was true. */
/** The figures the collector records of a node; `t` is by the clock of the agent that answers. */
export type ViewFigures = Pick<NodeSample, 't' | 'load' | 'cpus' | 'speed' | 'util' | 'mem' | 'io'>;

export interface ClusterViewNode<S = ViewFigures> {
  id: NodeId;
  host: string;
  status: 'up' | 'down';
  sample?: S;
  /**
   * For a status without a sample: when its evidence was last current, if older than its
   * source's (the load exchange calls a node down from silence, as old as its last news).
   */
  at?: number;
}

export interface CollectorStatus {
  /** Host name of the node whose agent answered. */
  host: string;
  running: boolean;
  pid?: number;
  /** Start of the current history, ms since the epoch. */
  started?: number;
  /** Time of its last record. */
  last?: number;
  /** Where the history is kept on the node. */
  dir: string;
  /** Saved histories, oldest first (names of directories in `dir`). */
  backups: string[];
}

/** What the collector's node answered to a control request (the words `mosixcollector` prints), and its status after it. */
export interface CollectorAnswer {
  message: string;
  status: CollectorStatus;
}

/** The longest checkpoint label the collector keeps. */
export const CHECKPOINT_LABEL_MAX = 200;

/** load: load bar % (100 = every CPU has a runnable task); mem, rmem, tmem: kB as in openMosix. */
/** load %, memory in kB, and the I/O history's disk read/write and network receive/send in bytes per second. */
export type HistoryMetric = 'load' | 'mem' | 'rmem' | 'tmem' | 'diskRead' | 'diskWrite' | 'netRx' | 'netTx';

export interface HistorySeriesRequest {
  /** A backup's name; the current history when absent. */
  backup?: string;
  /** Range, ms; default the 24 hours from the start of the history. */
  from?: number;
  to?: number;
  /** Columns of the chart: from..to in this many equal columns (moved to whole minutes when a minute or wider). */
  buckets: number;
  /**
   * Instead of from and to: the recorded range (the history's start to its last record) on
   * the round columns a window of `buckets` pixels asks for (shared/history/grid.ts), so a
   * window opens on it in one request. The answer's from, to and buckets say which.
   */
  recorded?: boolean;
  metrics: HistoryMetric[];
  /**
   * A refresh: only the columns from the one holding this time on (pass the last answer's
   * `next`); a time within from..to. The answer's stats are then of those columns alone.
   */
  since?: number;
}

/**
 * What a metric history window opening on the recorded range of the current history will ask
 * first (`history.series` with `recorded`): its opener sends it as the window is created, and the
 * main process reads those columns meanwhile and holds them for the window
 * (electron/history/preparedSeries.ts).
 */
export interface HistoryPrepareRequest {
  buckets: number;
  metrics: HistoryMetric[];
}

export interface NodeSeries {
  id: NodeId;
  host: string;
  series: Partial<Record<HistoryMetric, NodeMetricSeries>>;
}

/** min[i] and max[i] are those of column `first + i` of the answer. */
export interface NodeMetricSeries extends MinMaxSeries {
  /** Of the answered columns. */
  stats: SeriesStats;
  /** Of the answered columns before the one holding `next` (which a refresh reads again). */
  settled: SeriesStats;
}

export interface HistorySeries {
  backup: string | null;
  started: number;
  /** Time of the last record, ms. */
  last: number;
  from: number;
  to: number;
  buckets: number;
  /** Column edges (buckets + 1, from..to) when the columns are not all alike (moved to whole minutes). */
  edges?: number[];
  /**
   * The first column answered: 0, or that of the request's `since`. Columns after the last
   * answered one hold nothing yet (they lie after the last record).
   */
  first: number;
  /** Start of the column holding the last record (or of the range's first or last column): the next refresh's `since`. */
  next: number;
  nodes: NodeSeries[];
  checkpoints: Checkpoint[];
  /** Alerts raised and cleared in the range (absent from older agents). */
  alerts?: AlertMark[];
}

export interface ProcHistory {
  started: number;
  /** Times at which the process lists were stored (once a minute). */
  times: number[];
  /** The lists in effect at the asked time (the last record at or before it), of the asked node or of every node. */
  at: ProcSnapshot | null;
  /**
   * Every node of that record, whether or not the asked node filtered it out of `at`: what a
   * node chooser offers, with how many processes each had (null: missing, with why).
   */
  nodes: { id: NodeId; host: string; procs: number | null; missing?: string }[];
}

/** What the process history asks: the current history or a backup, the time (default: the last list) and the node (default: all). */
export interface ProcHistoryRequest {
  backup?: string;
  t?: number;
  node?: NodeId;
}

/**
 * One page of an export (shared/history/exportFormat.ts): the recorded seconds of from..to
 * (both included) after `after`, as stored. Pages keep each answer a few MB however long the range.
 */
export interface HistoryExportRequest {
  backup?: string;
  family: ExportFamily;
  from: number;
  to: number;
  /** The nodes, in column order; absent: every node recorded up in the range. */
  nodes?: number[];
  /** Only seconds after this time: the last page's `next`. */
  after?: number;
}

export interface HistoryExportPage {
  head: ExportHead;
  rows: ExportRow[];
  /** More seconds follow: ask again with `after` this and `nodes` the head's. */
  next?: number;
}

/** A recorded second as the main window's rows show it (figures not recorded are derived: docs/HISTORY.md). */
export interface ClusterMoment {
  t: number;
  nodes: ClusterViewNode<NodeSample>[];
}

export type HistoryAgentRequests = {
  /** This node's best view of the cluster: what the collector records each second. */
  'history.clusterView': { req: null; res: { nodes: ClusterViewNode[] } };
  /**
   * The process list of every node in the cluster view, each asked over the peer channel with
   * a deadline (a node down, late or too old is `missing`, with why): what the collector records once a minute.
   */
  'history.clusterProcs': { req: null; res: { nodes: NodeProcs[] } };
  /** The GUI's view of every node, pushed each second to the collector's node; `self` is that node's ID. */
  'history.observe': { req: { self: NodeId; nodes: NodeView[] }; res: null };
  'history.status': { req: null; res: CollectorStatus };
  /** Starts the collector on this node (as `mosixcollector -d`). */
  'history.start': { req: null; res: CollectorAnswer };
  /** Stops it (`mosixcollector -k`); the history stays. */
  'history.stop': { req: null; res: CollectorAnswer };
  /** A checkpoint, the blue line of the history charts (`mosixcollector -n label`). */
  'history.checkpoint': { req: { label: string }; res: CollectorAnswer };
  /** Saves the history as a dated backup and starts a new one (`mosixcollector -r`). */
  'history.rotate': { req: null; res: CollectorAnswer };
  'history.series': { req: HistorySeriesRequest; res: HistorySeries };
  'history.procs': { req: ProcHistoryRequest; res: ProcHistory };
  /** The cluster as recorded at time t (the last second at or before it), for replay. */
  'history.at': { req: { backup?: string; t: number }; res: ClusterMoment | null };
  'history.export': { req: HistoryExportRequest; res: HistoryExportPage };
};
export type HistoryAgentEvents = Record<never, never>;
