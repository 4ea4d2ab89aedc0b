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
}

/** This node's membership in a cluster, as its agent knows it. */
export interface ClusterInfo {
  /** This node's ID in the map, or null while it has none. */
  nodeId: number | null;
  map: MapNode[];
  keyInstalled: boolean;
  /** Identifies the installed key without revealing it (see keyId() in shared/clusterKey.ts). */
  keyId: string | null;
  /** True while the peer channel and the load exchange run. */
  listening: boolean;
  port: number;
  exchange: ExchangeStats;
  /** Why the peer channel is not running, when it should. */
  problem?: string;
}

/** Requests every agent serves from the start: identity, samples, speed. */
export type CoreAgentRequests = {
  hello: { req: { client: 'gui' | 'cli'; version: string }; res: AgentHello };
  /** A fresh sample, taken now. */
  sample: { req: null; res: NodeSample };
  /** Start (intervalMs > 0) or stop (0) periodic "sample" events on this connection. */
  subscribe: { req: { intervalMs: number }; res: null };
  procs: { req: null; res: ProcInfo[] };
  /** calibrated: absent while the admin's speed is in use on a node never calibrated. */
  getSpeed: { req: null; res: { speed: number; calibrated?: number; source?: SpeedSource } };
  setSpeed: { req: { speed: number }; res: { speed: number } };
  /** Installs the cluster key (hex) and/or the map and this node's ID; off leaves the cluster (setpe -off). */
  'cluster.configure': { req: { keyHex?: string; mapText?: string; nodeId?: number; off?: boolean }; res: ClusterInfo };
  'cluster.info': { req: null; res: ClusterInfo };
  /** Stop the daemon (the GUI's "Stop agent", `mosctl` shutdown). */
  shutdown: { req: null; res: null };
};

export type CoreAgentEvents = {
  sample: NodeSample;
};

/** The whole agent protocol: one map of requests, one of events, composed per feature. */
export type AgentRequests = CoreAgentRequests & JobAgentRequests & BalanceAgentRequests & HistoryAgentRequests & FileAgentRequests;
export type AgentEvents = CoreAgentEvents & JobAgentEvents & BalanceAgentEvents & HistoryAgentEvents;
