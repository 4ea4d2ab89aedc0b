/**
 * The jobs feature of the daemon: its requests, the process-list annotation, and the
 * once-a-second watch for jobs that ended. One JobsService per daemon, shared with the
 * migration orchestrator through jobsApi(ctx).
 */
import type { AgentFeature, DaemonContext } from '../daemon/feature.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests } from '../../shared/protocol/agent.js';
import { JobsService } from './jobsService.js';

export interface JobsApi {
  service: JobsService;
}

const apis = new WeakMap<DaemonContext, JobsApi>();

export function jobsApi(ctx: DaemonContext): JobsApi {
  let api = apis.get(ctx);
  if (!api) {
    const service = new JobsService({
      stateDir: ctx.paths.dir,
      mapNodeId: () => (ctx as Partial<DaemonContext>).peers?.info().nodeId,
      clusterNodes: () => (ctx as Partial<DaemonContext>).peers?.membership?.nodes.map((n) => n.id),
      onChange: (r) => ctx.broadcast('jobs.changed', r),
    });
    api = { service };
    apis.set(ctx, api);
  }
  return api;
}

export function jobsFeature(ctx: DaemonContext): AgentFeature {
  const api = jobsApi(ctx);
  const { service } = api;
  // jobs.start, signal, renice, check and migrate are the migrate feature's: each of them
  // must know whether the job is away or frozen by a migration.
  const handlers: Partial<Handlers<AgentRequests>> = {
    'jobs.list': () => service.registry.list(),
    'jobs.get': ({ ref }) => service.job(ref),
    'jobs.lock': (p) => service.lockTarget(p, p.locked),
    'jobs.facts': async () => {
      const c = service.config;
      return { node: service.nodeId, criu: await service.criu(), blocksGuests: c.blockGuests, sharedRoots: c.sharedRoots, localRoots: c.localRoots };
    },
    'jobs.setNodeId': ({ node }) => ({ node: service.setNodeId(node) }),
    'jobs.forget': ({ ref, unreachable }) => (service.forget(ref, { unreachable: unreachable === true }), null),
  };
  return {
    name: 'jobs',
    handlers,
    start: () => {
      void service.criu(); // probing takes a few hundred ms: do not hold up the daemon
      service.poll();
    },
    onSample: () => service.poll(),
    annotateProcs: (procs) => service.annotate(procs),
  };
}
