/**
 * Stop agent / Start agent of the node window ("mosix stop" / "mosix start"): they stop
 * and start the node's agent process through its session (attach --stop / --start), on
 * one node or every node with a result each.
 */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { AgentStart } from '../../shared/protocol/apiNodeAgent.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from './clusterTypes.js';
import type { NodeSession } from './nodeSession.js';
import { perNode, targets } from '../balance/balanceApi.js';

type NodeAgentHandlers = Pick<ApiHandlers, 'node.stopAgent' | 'node.startAgent'>;

export const START_TIMEOUT_MS = 30_000;

async function waitUp(s: NodeSession, timeoutMs: number, pollMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (s.view.status !== 'up') {
    if (Date.now() > deadline) throw new RpcError('ETIMEDOUT', `node ${s.id}'s agent did not come up within ${timeoutMs / 1000} s${s.view.reason ? `: ${s.view.reason}` : ''}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function makeNodeAgentApi(startTimeoutMs = START_TIMEOUT_MS): ApiFeature {
  return (ctx: ServiceContext): NodeAgentHandlers => ({
    // The node wins: the stop is recorded there and lasts (GUI restarts, other GUIs) until Start agent.
    'node.stopAgent': async (req) =>
      perNode(targets(ctx, req), async (s) => {
        await s.stopAgent();
        return null;
      }),
    'node.startAgent': async (req) =>
      perNode(targets(ctx, req), async (s): Promise<AgentStart> => {
        // An agent that runs is left alone: the admin is told, not told it started.
        if (s.view.status === 'up' && !s.isHeld) return 'already running';
        s.startAgent();
        await waitUp(s, startTimeoutMs);
        return 'started';
      }),
  });
}

export const nodeAgentApi: ApiFeature = makeNodeAgentApi();
