/**
 * Renderer -> main process: the one API the UI uses, whether it is served over
 * Electron IPC (preload) or over the headless mode's WebSocket.
 */
import type { NodeId, NodeView } from '../domain/node.js';
import type { ProcInfo } from '../domain/process.js';
import { JOB_API_CHANNELS, JOB_API_EVENTS, type JobApiEvents, type JobApiRequests } from './apiJobs.js';
import { BALANCE_API_CHANNELS, BALANCE_API_EVENTS, type BalanceApiEvents, type BalanceApiRequests } from './apiBalance.js';
import { HISTORY_API_CHANNELS, HISTORY_API_EVENTS, type HistoryApiEvents, type HistoryApiRequests } from './apiHistory.js';
import { MEMBERSHIP_API_CHANNELS, MEMBERSHIP_API_EVENTS, type MembershipApiEvents, type MembershipApiRequests } from './apiMembership.js';
import { ALERT_API_CHANNELS, ALERT_API_EVENTS, type AlertApiEvents, type AlertApiRequests } from './apiAlerts.js';
import { NODE_AGENT_API_CHANNELS, NODE_AGENT_API_EVENTS, type NodeAgentApiEvents, type NodeAgentApiRequests } from './apiNodeAgent.js';

export interface HostKeyPrompt {
  promptId: string;
  nodeId: NodeId;
  host: string;
  port: number;
  keyType: string;
  /** OpenSSH style: "SHA256:base64-without-padding". */
  fingerprint: string;
  /** The known_hosts file the key will be added to on yes. */
  knownHostsFile: string;
}

export interface ClusterSnapshot {
  /** Profile name, or "this machine" for the embedded default. */
  name: string;
  source: 'embedded' | 'profile';
  nodes: NodeView[];
  hostKeyPrompts: HostKeyPrompt[];
}

/** The core API: cluster, nodes, host keys. */
export type CoreApiRequests = {
  'cluster.get': { req: null; res: ClusterSnapshot };
  /** Take a fresh sample on every node that is up, then return the snapshot. */
  'cluster.refresh': { req: null; res: ClusterSnapshot };
  'node.setSpeed': { req: { nodeId: NodeId; speed: number }; res: { speed: number } };
  'node.procs': { req: { nodeId: NodeId }; res: ProcInfo[] };
  'hostKey.answer': { req: { promptId: string; accept: boolean }; res: null };
  /** Connects again to a node whose host key the admin rejected, so its key is asked about again. */
  'hostKey.askAgain': { req: { nodeId: NodeId }; res: null };
};

export type CoreApiEvents = {
  /**
   * Node views, one event per tick of the main process (electron/core/viewBatch.ts): the latest
   * view of each node whose view changed in it, not one event per node and sample.
   */
  'cluster.views': { views: NodeView[] };
  'hostKey.prompt': HostKeyPrompt;
  'hostKey.resolved': { promptId: string };
};

/** The whole renderer -> main API: one map of requests, one of events, composed per feature. */
export type ApiRequests = CoreApiRequests & JobApiRequests & BalanceApiRequests & HistoryApiRequests & MembershipApiRequests & NodeAgentApiRequests & AlertApiRequests;
export type ApiEvents = CoreApiEvents & JobApiEvents & BalanceApiEvents & HistoryApiEvents & MembershipApiEvents & NodeAgentApiEvents & AlertApiEvents;

/** Runtime lists, checked complete against the maps: the preload allows only these. */
const CORE_API_CHANNELS = Object.keys({
  'cluster.get': 1,
  'cluster.refresh': 1,
  'node.setSpeed': 1,
  'node.procs': 1,
  'hostKey.answer': 1,
  'hostKey.askAgain': 1,
} satisfies Record<keyof CoreApiRequests, 1>) as (keyof CoreApiRequests)[];

const CORE_API_EVENTS = Object.keys({
  'cluster.views': 1,
  'hostKey.prompt': 1,
  'hostKey.resolved': 1,
} satisfies Record<keyof CoreApiEvents, 1>) as (keyof CoreApiEvents)[];

export const API_CHANNELS: (keyof ApiRequests)[] = [...CORE_API_CHANNELS, ...JOB_API_CHANNELS, ...BALANCE_API_CHANNELS, ...HISTORY_API_CHANNELS, ...MEMBERSHIP_API_CHANNELS, ...NODE_AGENT_API_CHANNELS, ...ALERT_API_CHANNELS];
export const API_EVENTS: (keyof ApiEvents)[] = [...CORE_API_EVENTS, ...JOB_API_EVENTS, ...BALANCE_API_EVENTS, ...HISTORY_API_EVENTS, ...MEMBERSHIP_API_EVENTS, ...NODE_AGENT_API_EVENTS, ...ALERT_API_EVENTS];

/** The renderer's way to the main process: over the preload (Electron) or the WebSocket (headless). */
export interface MosixviewBridge {
  invoke<C extends keyof ApiRequests>(channel: C, req: ApiRequests[C]['req']): Promise<ApiRequests[C]['res']>;
  on<E extends keyof ApiEvents>(event: E, cb: (data: ApiEvents[E]) => void): () => void;
}
