/** Renderer -> main API for the balancing core: cluster view, mosctl controls, setpe (issue: balancing core). */
import type { NodeId } from '../domain/node.js';
import type { FlagName } from '../balancing/controls.js';
import type { BalanceState, ClusterViewReply, MoveReport } from './agentBalance.js';

/** One node, or every node of the cluster (the "all nodes" window). */
export type NodeTargetReq = { nodeId: NodeId | 'all' };

/** What one node answered; for "all", one per node in map order. */
export type NodeResult<T> = { nodeId: NodeId; ok: true; value: T } | { nodeId: NodeId; ok: false; error: string };

/** What "Start agent" did on a node: started it, or found it running and left it alone. */
export type AgentStart = 'started' | 'already running';

export type BalanceApiRequests = {
  /** The node's controls and balancer state, read from its agent. */
  'balance.state': { req: NodeTargetReq; res: NodeResult<BalanceState>[] };
  /** Sets a flag, then returns the state the agent reports after it. */
  'balance.setFlag': { req: NodeTargetReq & { flag: FlagName; value: boolean }; res: NodeResult<BalanceState>[] };
  'balance.expel': { req: NodeTargetReq; res: NodeResult<MoveReport>[] };
  'balance.bring': { req: NodeTargetReq; res: NodeResult<MoveReport>[] };
  /** "mosix stop": the agent daemon shuts down and the GUI does not restart it until start. */
  'balance.stopAgent': { req: NodeTargetReq; res: NodeResult<null>[] };
  /** "mosix start": connects again, which starts the node's agent daemon if none runs. */
  'balance.startAgent': { req: NodeTargetReq; res: NodeResult<AgentStart>[] };
  /** The cluster as the load exchange of one node's agent sees it. */
  'balance.view': { req: { nodeId: NodeId }; res: ClusterViewReply };
};
export type BalanceApiEvents = Record<never, never>;
/** Runtime list of this feature's channels, checked complete against the map. */
export const BALANCE_API_CHANNELS = Object.keys({
  'balance.state': 1,
  'balance.setFlag': 1,
  'balance.expel': 1,
  'balance.bring': 1,
  'balance.stopAgent': 1,
  'balance.startAgent': 1,
  'balance.view': 1,
} satisfies Record<keyof BalanceApiRequests, 1>) as (keyof BalanceApiRequests)[];
export const BALANCE_API_EVENTS = Object.keys({} satisfies Record<keyof BalanceApiEvents, 1>) as (keyof BalanceApiEvents)[];
