/**
 * The balancing API in the main process: the node configuration window's reads and
 * actions, sent to one node's agent or to every node ("all nodes") with a result each.
 */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { AgentStart, NodeResult } from '../../shared/protocol/apiBalance.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from '../core/clusterService.js';
import type { NodeSession } from '../core/nodeSession.js';
import { nodeIdParam } from '../core/params.js';

type BalanceHandlers = Pick<
  ApiHandlers,
  'balance.state' | 'balance.setFlag' | 'balance.expel' | 'balance.bring' | 'balance.stopAgent' | 'balance.startAgent' | 'balance.view'
>;

const FLAGS = ['stay', 'lstay', 'block', 'quiet'] as const;
export const START_TIMEOUT_MS = 30_000;

/** The sessions a request names: one node, or all of them in map order. */
export function targets(ctx: ServiceContext, req: unknown): NodeSession[] {
  const id = (req as { nodeId?: unknown } | null)?.nodeId;
  if (id === 'all') return ctx.sessions();
  return [ctx.session(nodeIdParam(req))];
}

/** Runs `fn` on each node at once; a node's failure is its result, not the request's. */
export async function perNode<T>(sessions: NodeSession[], fn: (s: NodeSession) => Promise<T>): Promise<NodeResult<T>[]> {
  return Promise.all(
    sessions.map(async (s): Promise<NodeResult<T>> => {
      try {
        return { nodeId: s.id, ok: true, value: await fn(s) };
      } catch (e) {
        return { nodeId: s.id, ok: false, error: (e as Error).message };
      }
    }),
  );
}

async function waitUp(s: NodeSession, timeoutMs: number, pollMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (s.view.status !== 'up') {
    if (Date.now() > deadline) throw new RpcError('ETIMEDOUT', `node ${s.id}'s agent did not come up within ${timeoutMs / 1000} s${s.view.reason ? `: ${s.view.reason}` : ''}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function makeBalanceApi(startTimeoutMs = START_TIMEOUT_MS): ApiFeature {
  return (ctx: ServiceContext): BalanceHandlers => ({
    'balance.state': async (req) => perNode(targets(ctx, req), (s) => s.request('balance.state', null)),
    'balance.setFlag': async (req) => {
      const { flag, value } = (req ?? {}) as { flag?: unknown; value?: unknown };
      if (!FLAGS.includes(flag as (typeof FLAGS)[number]) || typeof value !== 'boolean') {
        throw new RpcError('EINVAL', `setFlag needs { nodeId, flag: ${FLAGS.join('|')}, value: true|false }`);
      }
      return perNode(targets(ctx, req), async (s) => {
        await s.request('balance.set', { flag: flag as (typeof FLAGS)[number], value });
        // Read back separately: what the window shows is what the agent now holds.
        return s.request('balance.state', null);
      });
    },
    'balance.expel': async (req) => perNode(targets(ctx, req), (s) => s.request('balance.expel', null)),
    'balance.bring': async (req) => perNode(targets(ctx, req), (s) => s.request('balance.bring', null)),
    // The node wins: the stop is recorded there and lasts (GUI restarts, other GUIs) until Start agent.
    'balance.stopAgent': async (req) =>
      perNode(targets(ctx, req), async (s) => {
        await s.stopAgent();
        return null;
      }),
    'balance.startAgent': async (req) =>
      perNode(targets(ctx, req), async (s): Promise<AgentStart> => {
        // An agent that runs is left alone: the admin is told, not told it started.
        if (s.view.status === 'up' && !s.isHeld) return 'already running';
        s.startAgent();
        await waitUp(s, startTimeoutMs);
        return 'started';
      }),
    'balance.view': async (req) => ctx.session(nodeIdParam(req) as NodeId).request('balance.view', null),
  });
}

export const balanceApi: ApiFeature = makeBalanceApi();
