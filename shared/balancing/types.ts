/**
 * Plain data of the balancing core that crosses a process boundary: what agents gossip
 * (infod), the cluster view they answer with, and the decay parameters of mosctl setdecay.
 * The node flags are in protocol/balanceFlags.ts; docs/LOAD-MODEL.md gives the formulas.
 */
import type { NodeId, NodeIo } from '../domain/node.js';
import type { EventLogMark } from '../alerts/alertEvents.js';

/** What one node says about itself, as the infod exchange carries it. */
export interface InfoEntry {
  node: NodeId;
  /** openMosix exported load of the node (NodeSample.load: rises at once, falls slowly). */
  load: number;
  speed: number;
  cpus: number;
  /** Memory available for work (NodeMemory.availableKb). */
  memAvailKb: number;
  memTotalKb: number;
  /** rmem: free memory as Linux believes (NodeMemory.freeKb); for the collector's records. */
  memFreeKb?: number;
  /** Utilisation, % of the node's CPUs busy (0..100). */
  util: number;
  /** Disk and network rates (NodeSample.io); for the collector's records. */
  io?: NodeIo;
  /** When the node made this entry, ms by ITS OWN clock: only compared with its own entries. */
  t: number;
  /** Counter of the node's messages: breaks ties between entries with equal t. */
  seq: number;
  /** The node refuses guests (mosctl block): others must not pick it as a target. */
  block?: boolean;
  /** Where the node's own alert events stand (absent from an older agent): the collector's node asks it for them when this moved. */
  alertLog?: EventLogMark;
}

/**
 * One infod message: the sender's fresh entry first, then a window of the newest entries it
 * knows about other nodes. The transport (authenticated, encrypted) is not this module's.
 */
export interface InfoMessage {
  from: NodeId;
  to: NodeId;
  entries: InfoEntry[];
}

/** A node as the cluster view (balance.view, mosctl status, the collector) shows it. */
export interface ViewNode extends InfoEntry {
  up: boolean;
  /** ms since news of the node last arrived (0 for self). */
  ageMs: number;
  self: boolean;
}

/** mosctl setdecay: decay interval and the two factors, in thousandths. */
export interface DecayParams {
  intervalS: number;
  slow: number;
  fast: number;
}

export const DEFAULT_DECAY: Readonly<DecayParams> = Object.freeze({ intervalS: 1, slow: 975, fast: 926 });
