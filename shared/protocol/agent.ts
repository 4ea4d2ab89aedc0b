/**
 * Main process (and CLI tools) -> agent daemon: the requests an agent serves and the
 * events it emits, over JSON lines on the SSH channel's stdio or the daemon's socket.
 */
import type { NodeSample, SpeedSource } from '../domain/node.js';
import type { ProcInfo } from '../domain/process.js';
import type { MapNode } from '../hpcMap.js';
import type { ExchangeStats } from './peer.js';
import type { JobAgentEvents, JobAgentRequests } from './agentJobs.js';
import type { BalanceAgentEvents, BalanceAgentRequests } from './agentBalance.js';
import type { HistoryAgentEvents, HistoryAgentRequests } from './agentHistory.js';
import type { FileAgentRequests } from './agentFiles.js';
import type { AlertAgentEvents, AlertAgentRequests } from './agentAlerts.js';

export const AGENT_PROTOCOL_VERSION = 1;

export interface AgentHello {
  /** Agent build version, e.g. "0.1.0+3f2a9c1d" (package version + bundle hash). */
  version: string;
  protocol: number;
  hostname: string;
  /** PID of the agent daemon. */
  pid: number;
  stateDir: string;
  /** Node.js version the agent runs on. */
  node: string;
  /** Set when a service manager runs the daemon (the node's packaged agent): the GUI then
   * attaches to it as it is and never replaces it with a daemon of its own version. */
  supervisor?: 'systemd';
}

/**
 * What this node's agent took from one peer over the load exchange, by the agent's own clock
 * ("ago" counts back from the moment cluster.info answered, so no two clocks are compared).
 * Forged datagrams can only be told apart by their source address: they do not open.
 */
export interface PeerTraffic {
  /** The peer's node ID in this node's map; null for an address the map does not name. */
  nodeId: number | null;
  /** Source address of the forged datagrams (the map's host when none came). */
  address: string;
  accepted: number;
  forged: number;
  acceptedAgoMs: number | null;
  forgedAgoMs: number | null;
}

/**
 * Who installed the node's map: the GUI, the admin on the node (setpe -w), or the agent at its
 * start from its map file (the packaged agent's /etc/mosixview/hpc.map); null: none, or not recorded.
 */
export type MapOrigin = 'gui' | 'setpe' | 'file';

/** This node's membership in a cluster, as its agent knows it. */
export interface ClusterInfo {
  /** This node's ID in the map, or null while it has none. */
  nodeId: number | null;
  map: MapNode[];
  /** Who installed the map (null when not recorded: maps of older agents count as the node's own). */
  mapBy: MapOrigin | null;
  /** With mapBy 'file': the map file the agent applied at its start (e.g. /etc/mosixview/hpc.map). */
  mapFile?: string;
  /** When the admin ran `setpe -off` (ISO time); the GUI then installs no map until told to. */
  leftAt: string | null;
  keyInstalled: boolean;
  /** Identifies the installed key without revealing it (see keyId() in shared/clusterKey.ts). */
  keyId: string | null;
  /** True while the peer channel and the load exchange run. */
  listening: boolean;
  port: number;
  exchange: ExchangeStats;
  /** Per peer: datagrams taken and datagrams dropped as forged (another cluster key). */
  peers: PeerTraffic[];
  /** Why the peer channel is not running, when it should. */
  problem?: string;
}

/** cluster.configure refused to replace the node's key: the request did not say it rotates from that key. */
export const KEY_CHANGE_REFUSED = 'EKEYCHANGE';

/**
 * `mosixview-agent attach` exits with this when the admin stopped the agent (Stop agent,
 * `attach --stop`) and no daemon runs: it does not start one until `attach --start`.
 */
export const ATTACH_EXIT_STOPPED = 4;

/**
 * The file in the agent's state directory that records the admin's stop; the GUI's start
 * script (electron/ssh/daemonStart.ts) looks for it too, and then leaves the node to attach.
 */
export const ADMIN_STOP_FILE = 'stopped-by-admin';

export interface ClusterConfigure {
  /** The cluster key, 64 hex digits. A node that has another key refuses it unless rotateFrom names that key. */
  keyHex?: string;
  /** The key ID (keyId()) of the key this request explicitly replaces: a rotation. */
  rotateFrom?: string;
  mapText?: string;
  nodeId?: number;
  /** Who installs the map: 'gui' (Mosixview) or 'setpe' (the admin on the node, the default); 'file' is the agent's own. */
  by?: Exclude<MapOrigin, 'file'>;
  /** setpe -off: leave the cluster; recorded, so that no GUI puts the map back unasked. */
  off?: boolean;
}

/** The caller a connection acts for, once proved (root may act on every job). */
export interface CallerInfo {
  uid: number;
  user: string;
}

/** Requests every agent serves from the start: identity, samples, speed. */
export type CoreAgentRequests = {
  hello: { req: { client: 'gui' | 'cli'; version: string }; res: AgentHello };
  /**
   * Who the caller is (agent/daemon/callerIdentity.ts): the client claims its uid, the agent
   * writes a nonce into `file`, readable by that uid alone; auth.prove sends it back.
   */
  'auth.challenge': { req: { uid: number }; res: { file: string } };
  /** The nonce read from the challenge's file: from now on this connection acts as that uid. */
  'auth.prove': { req: { nonce: string }; res: CallerInfo };
  /** A fresh sample, taken now. */
  sample: { req: null; res: NodeSample };
  /** Start (on) or stop (off) the "sample" event of every tick (1 s) on this connection. */
  subscribe: { req: { on: boolean }; res: null };
  procs: { req: null; res: ProcInfo[] };
  /** calibrated: absent while the admin's speed is in use on a node never calibrated. */
  getSpeed: { req: null; res: { speed: number; calibrated?: number; source?: SpeedSource } };
  setSpeed: { req: { speed: number }; res: { speed: number } };
  /** Installs the cluster key (hex) and/or the map and this node's ID; off leaves the cluster (setpe -off). */
  'cluster.configure': { req: ClusterConfigure; res: ClusterInfo };
  'cluster.info': { req: null; res: ClusterInfo };
  /** The installed cluster key, for a GUI that adopts it (over its SSH session, never a command line). */
  'cluster.key': { req: null; res: { keyHex: string; keyId: string } };
  /** Stop the daemon (the GUI's "Stop agent", `mosctl` shutdown). */
  shutdown: { req: null; res: null };
  /** The node's figures for Prometheus (mosctl metrics): OpenMetrics text, or the 0.0.4 text format. */
  metrics: { req: { format?: 'openmetrics' | 'prometheus' } | null; res: { text: string } };
};

export type CoreAgentEvents = {
  sample: NodeSample;
};

/** The whole agent protocol: one map of requests, one of events, composed per feature. */
export type AgentRequests = CoreAgentRequests & JobAgentRequests & BalanceAgentRequests & HistoryAgentRequests & FileAgentRequests & AlertAgentRequests;
export type AgentEvents = CoreAgentEvents & JobAgentEvents & BalanceAgentEvents & HistoryAgentEvents & AlertAgentEvents;
