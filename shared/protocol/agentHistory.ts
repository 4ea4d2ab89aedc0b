/** Agent requests and events for the collector and its history (issue: collector). docs/HISTORY.md */
import type { NodeId, NodeSample, NodeView } from '../domain/node.js';
import type { Checkpoint, ProcSnapshot } from '../history/types.js';
import type { MinMaxSeries, SeriesStats } from '../history/downsample.js';

/** One node as a cluster-view source knows it; `at` is when that knowledge was true. */
/** The figures the collector records of a node; `t` is by the clock of the agent that answers. */
export type ViewFigures = Pick<NodeSample, 't' | 'load' | 'cpus' | 'speed' | 'util' | 'mem'>;

export interface ClusterViewNode<S = ViewFigures> {
  id: NodeId;
  host: string;
  status: 'up' | 'down';
  sample?: S;
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

/** load: load bar % (100 = every CPU has a runnable task); mem, rmem, tmem: kB as in openMosix. */
export type HistoryMetric = 'load' | 'mem' | 'rmem' | 'tmem';

export interface HistorySeriesRequest {
  /** A backup's name; the current history when absent. */
  backup?: string;
  /** Range, ms; default the 24 hours from the start of the history. */
  from?: number;
  to?: number;
  /** Pixel columns of the chart. */
  buckets: number;
  metrics: HistoryMetric[];
}

export interface NodeSeries {
  id: NodeId;
  host: string;
  series: Partial<Record<HistoryMetric, MinMaxSeries & { stats: SeriesStats }>>;
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
  nodes: NodeSeries[];
  checkpoints: Checkpoint[];
}

export interface ProcHistory {
  started: number;
  /** Times at which a process list was stored. */
  times: number[];
  /** The list in effect at the asked time (the last one at or before it). */
  at: ProcSnapshot | null;
}

/** A recorded second as the main window's rows show it (figures not recorded are derived: docs/HISTORY.md). */
export interface ClusterMoment {
  t: number;
  nodes: ClusterViewNode<NodeSample>[];
}

export type HistoryAgentRequests = {
  /** This node's best view of the cluster: what the collector records each second. */
  'history.clusterView': { req: null; res: { nodes: ClusterViewNode[] } };
  /** The GUI's view of every node, pushed each second to the collector's node; `self` is that node's ID. */
  'history.observe': { req: { self: NodeId; nodes: NodeView[] }; res: null };
  'history.status': { req: null; res: CollectorStatus };
  /** Starts the collector on this node (as `mosixcollector -d`). */
  'history.start': { req: null; res: CollectorStatus };
  'history.series': { req: HistorySeriesRequest; res: HistorySeries };
  'history.procs': { req: { backup?: string; t?: number }; res: ProcHistory };
  /** The cluster as recorded at time t (the last second at or before it), for replay. */
  'history.at': { req: { backup?: string; t: number }; res: ClusterMoment | null };
};
export type HistoryAgentEvents = Record<never, never>;
