/** What the collector records, as readers get it back (docs/HISTORY.md). */
import type { ProcInfo } from '../domain/process.js';
import type { NodeId } from '../domain/node.js';

/** One node in one second of history; values are those of openMosix's /proc/hpc/nodes/N/. */
export interface HistoryNodeSample {
  id: NodeId;
  up: boolean;
  /** Exported load (as NodeSample.load); precision 0.01. */
  load: number;
  cpus: number;
  speed: number;
  /** Utilisation 0..100; precision 0.1. */
  util: number;
  /** tmem: total memory, kB. */
  tmemKb: number;
  /** rmem: free memory as Linux believes, kB. */
  rmemKb: number;
  /** mem: available memory as openMosix believes, kB. */
  memKb: number;
  /**
   * Disk read and write, network receive and send, bytes per second (NodeSample.io); precision
   * 1024 B/s. 0 where the node's agent did not measure them (an older agent, its first second,
   * an unreadable file) and in seconds recorded before the collector recorded them.
   */
  diskReadBps: number;
  diskWriteBps: number;
  netRxBps: number;
  netTxBps: number;
}

/** The rates of a node that has none (down, or not measured). */
export const NO_IO = Object.freeze({ diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0 });

export interface SampleRecord {
  /** Collector clock, ms since the epoch. */
  t: number;
  nodes: HistoryNodeSample[];
}

export interface Checkpoint {
  t: number;
  label: string;
}

/** An alert raised or cleared by the collector (shared/alerts/alertRules.ts), recorded beside the checkpoints. */
export interface AlertMark {
  t: number;
  event: 'raised' | 'cleared';
  rule: string;
  node: number;
  text: string;
}

/** One process as the process history keeps it: trimmed to what its window shows. */
export type HistoryProc = Pick<ProcInfo, 'pid' | 'user' | 'command' | 'args' | 'state' | 'cpu' | 'rssKb' | 'where'>;

/**
 * One node's process list at one minute: `procs` when its agent answered, else `missing`
 * saying why (down, no answer in time, an agent too old to be asked): never an empty list
 * standing in for one that was not read.
 */
export type NodeProcs = { id: NodeId; host: string } & ({ procs: HistoryProc[]; missing?: undefined } | { missing: string; procs?: undefined });

/** The process lists of every node at one minute (the collector's own only, in histories older than format 2 of the record). */
export interface ProcSnapshot {
  t: number;
  nodes: NodeProcs[];
}

export interface NodeNames {
  t: number;
  nodes: { id: NodeId; host: string }[];
}

export interface HistoryHeader {
  /** Format version of the file. */
  v: number;
  /** When this history was started, ms since the epoch. */
  started: number;
  /** Host name of the collector's node. */
  host: string;
}

/** One metric of one node over a chart's columns, as history.series answers (downsample.ts makes it). */
export interface MinMaxSeries {
  /** Per bucket, null where there is no sample (node down or no history). */
  min: (number | null)[];
  max: (number | null)[];
  /** Per bucket, the mean of its samples: the line a chart draws between the extremes. */
  mean: (number | null)[];
}

export interface SeriesStats {
  /** Mean of every sample in the range (not of the buckets), or null without samples. */
  avg: number | null;
  peak: number | null;
  /** Time of the (first) peak. */
  peakT: number | null;
  samples: number;
}
