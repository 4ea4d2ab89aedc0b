/** The cluster key question and the profile's map on a node, for the main window (apiMembership.ts). */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from './clusterService.js';
import type { ClusterMembership } from './clusterMembership.js';
import { perNode, targets } from '../balance/balanceApi.js';

type MembershipHandlers = Pick<ApiHandlers, 'clusterKey.get' | 'clusterKey.adopt' | 'clusterKey.rotate' | 'clusterKey.readOnly' | 'membership.installMap'>;

function need(ctx: ServiceContext): ClusterMembership {
  if (!ctx.membership) throw new RpcError('ENOCLUSTER', 'this machine alone has no cluster key or map: open a profile (--profile FILE)');
  return ctx.membership;
}

export const membershipApi: ApiFeature = (ctx): MembershipHandlers => ({
  'clusterKey.get': async () => ctx.membership?.state() ?? null,
  'clusterKey.adopt': async (req) => need(ctx).adopt((req as { keyId?: unknown } | null)?.keyId),
  'clusterKey.rotate': async () => need(ctx).rotate(),
  'clusterKey.readOnly': async () => need(ctx).setReadOnly(),
  'membership.installMap': async (req) => {
    const m = need(ctx);
    return perNode(targets(ctx, req), (s) => m.installMap(s));
  },
});
