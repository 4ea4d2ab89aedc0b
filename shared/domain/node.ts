/** An openMosix node ID, as in the map file (1, 2, ...). 0 means "here" in process lists. */
export type NodeId = number;

/** openMosix speed units: 10000 is the reference CPU (openMosix: a Pentium III at 1 GHz). */
export const STANDARD_SPEED = 10000;
export const MIN_SPEED = 100;
export const MAX_SPEED = 1_000_000;

/** Memory figures in kB, with the names openMosix used under /proc/hpc/nodes/N/. */
export interface NodeMemory {
  /** tmem: total memory of the node (or of its memory cgroup, if that is smaller). */
  totalKb: number;
  /** rmem: free memory as Linux believes (MemFree). */
  freeKb: number;
  /** mem: memory available for work as openMosix believes (MemAvailable: free + reclaimable). */
  availableKb: number;
}

/**
 * Where a node's demand comes from: 'schedstat', each process's runnable time over the
 * interval (/proc/PID/schedstat); 'state', the processes runnable at the instant of the sample
 * (kernels without schedstat). docs/LOAD-MODEL.md.
 */
export type DemandSource = 'schedstat' | 'state';
/**
 * 'calibrated': timed by the agent; 'admin': set by the admin (mosctl setspeed, the GUI's slider);
 * 'provisional': STANDARD_SPEED while a node never calibrated is being calibrated (its first seconds).
 */
export type SpeedSource = 'calibrated' | 'admin' | 'provisional';

/**
 * Disk and network traffic of a node over the last interval, bytes per second: the whole disks
 * of /proc/diskstats (a container shares its host's) and every interface of /proc/net/dev but
 * `lo` (agent/sampler/ioText.ts). A pair is absent when its file could not be read, and both on
 * an agent's first sample (no interval yet).
 */
export interface NodeIo {
  diskReadBps?: number;
  diskWriteBps?: number;
  netRxBps?: number;
  netTxBps?: number;
}

/** One sample of a node, taken by its agent from /proc once per refresh. */
export interface NodeSample {
  /** Sample time, ms since the epoch, by the node's clock. */
  t: number;
  hostname: string;
  /** CPUs this node may use (affinity and cgroup quota applied). */
  cpus: number;
  /**
   * Demand over the last interval: per process, CPU-seconds used plus seconds its threads
   * waited for a CPU, per second, summed over the node's processes (the agent itself left out),
   * plus the CPU time of processes that ended in the interval. Without schedstat, per process
   * max(1 if runnable at the sample, CPU-seconds per second).
   */
  demand: number;
  /** How demand was measured; absent from older agents. */
  demandSource?: DemandSource;
  /** openMosix-style exported load: rises at once, falls as (7*old + new)/8 per second. */
  load: number;
  /** Utilisation: % of the node's CPUs busy over the last interval (0..100). */
  util: number;
  mem: NodeMemory;
  /** Current openMosix speed of the node. */
  speed: number;
  /** Whether the speed was calibrated or set by the admin; absent from older agents. */
  speedSource?: SpeedSource;
  procCount: number;
  /** Disk and network rates; absent from older agents and on the first sample. */
  io?: NodeIo;
}

export type NodeStatus = 'connecting' | 'up' | 'down';

/** What the main window shows for one node; the renderer's single source for a row. */
export interface NodeView {
  id: NodeId;
  /** Host as written in the map (name or IP). */
  host: string;
  /** Resolved IP address, when known. */
  address?: string;
  status: NodeStatus;
  /** Why the node is down or not ready, in words an admin can act on. */
  reason?: string;
  sample?: NodeSample;
  agentVersion?: string;
  /** The node's packaged agent (run by systemd) is of another version than this GUI's: what to do. */
  agentNote?: string;
  /** A problem of a node that is up, e.g. it cannot reach its peers. */
  warning?: string;
  /** Set while the node's peers drop its load exchange as forged (it holds another cluster key): its lamp is not green. */
  isolated?: string;
  /** The node keeps its own map (setpe -w) or left the cluster (setpe -off): how it differs from the profile's. */
  ownMap?: string;
  /** The admin rejected this node's unknown host key: it stays down until asked again (hostKey.askAgain). */
  hostKeyRejected?: boolean;
}

/** What the main process learns about a node's membership besides its samples. */
export type MembershipView = Pick<NodeView, 'warning' | 'isolated' | 'ownMap'>;
