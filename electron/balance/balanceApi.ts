/**
 * The balancing API in the main process: the node configuration window's reads and
 * actions, sent to one node's agent or to every node ("all nodes") with a result each.
 */
import type { NodeResult } from '../../shared/protocol/apiBalance.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from '../core/clusterTypes.js';
import type { NodeSession } from '../core/nodeSession.js';
import type { NodeTargetReq } from '../../shared/protocol/apiBalance.js';

type BalanceHandlers = Pick<
  ApiHandlers,
  'balance.state' | 'balance.setFlag' | 'balance.expel' | 'balance.bring' | 'balance.view'
>;


/** The sessions a request names: one node, or all of them in map order. */
export function targets(ctx: ServiceContext, req: NodeTargetReq): NodeSession[] {
  return req.nodeId === 'all' ? ctx.sessions() : [ctx.session(req.nodeId)];
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

export function makeBalanceApi(): ApiFeature {
  return (ctx: ServiceContext): BalanceHandlers => ({
    'balance.state': async (req) => perNode(targets(ctx, req), (s) => s.request('balance.state', null)),
    'balance.setFlag': async (req) => {
      const { flag, value } = req;
      return perNode(targets(ctx, req), async (s) => {
        await s.request('balance.set', { flag, value });
        // Read back separately: what the window shows is what the agent now holds.
        return s.request('balance.state', null);
      });
    },
    'balance.expel': async (req) => perNode(targets(ctx, req), (s) => s.request('balance.expel', null)),
    'balance.bring': async (req) => perNode(targets(ctx, req), (s) => s.request('balance.bring', null)),
    'balance.view': async ({ nodeId }) => ctx.session(nodeId).request('balance.view', null),
  });
}

export const balanceApi: ApiFeature = makeBalanceApi();
