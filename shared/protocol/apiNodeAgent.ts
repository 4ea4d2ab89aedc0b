/** Renderer -> main API for a node's agent process: "mosix stop" and "mosix start" from the node window. */
import type { NodeResult, NodeTargetReq } from './apiBalance.js';

/** What "Start agent" did on a node: started it, or found it running and left it alone. */
export type AgentStart = 'started' | 'already running';

export type NodeAgentApiRequests = {
  /** "mosix stop": the agent daemon shuts down and the GUI does not restart it until start. */
  'node.stopAgent': { req: NodeTargetReq; res: NodeResult<null>[] };
  /** "mosix start": connects again, which starts the node's agent daemon if none runs. */
  'node.startAgent': { req: NodeTargetReq; res: NodeResult<AgentStart>[] };
};
export type NodeAgentApiEvents = Record<never, never>;
/** Runtime list of this feature's channels, checked complete against the map. */
export const NODE_AGENT_API_CHANNELS = Object.keys({
  'node.stopAgent': 1,
  'node.startAgent': 1,
} satisfies Record<keyof NodeAgentApiRequests, 1>) as (keyof NodeAgentApiRequests)[];
export const NODE_AGENT_API_EVENTS = Object.keys({} satisfies Record<keyof NodeAgentApiEvents, 1>) as (keyof NodeAgentApiEvents)[];
