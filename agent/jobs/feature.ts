/**
 * The jobs feature of the daemon: its requests, the process-list annotation, and the
 * once-a-second watch for jobs that ended. One JobsService per daemon, shared with the
 * migration orchestrator through jobsApi(ctx).
 */
import type { AgentFeature, DaemonContext } from '../daemon/feature.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests } from '../../shared/protocol/agent.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { ProcTarget } from '../../shared/protocol/agentJobs.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { JobsService } from './jobsService.js';

export type Migrator = (t: ProcTarget, to: NodeId | 'home' | 'best') => Promise<JobRecord>;

export interface JobsApi {
  service: JobsService;
  /** The orchestrator sets this; until then `migrate` says why it cannot. */
  migrator?: Migrator;
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
  const handlers: Handlers<AgentRequests> = {
    'jobs.start': (spec) => service.start(spec),
    'jobs.list': () => service.registry.list(),
    'jobs.get': ({ ref }) => service.job(ref),
    'jobs.signal': (p) => (service.signal(p, p.signal), null),
    'jobs.renice': (p) => (service.renice(p, p.nice), null),
    'jobs.lock': (p) => service.lockTarget(p, p.locked),
    'jobs.facts': async () => {
      const c = service.config;
      return { node: service.nodeId, criu: await service.criu(), blocksGuests: c.blockGuests, sharedRoots: c.sharedRoots, localRoots: c.localRoots };
    },
    'jobs.check': async (p) => ({ reasons: await service.check(p, p.target) }),
    'jobs.setNodeId': ({ node }) => ({ node: service.setNodeId(node) }),
    'jobs.forget': ({ ref, unreachable }) => (service.forget(ref, { unreachable: unreachable === true }), null),
    'jobs.migrate': (p) => {
      const m = api.migrator;
      if (!m) throw new RpcError('ENOTSUP', 'migration to other nodes needs the cluster channel, which is not set up on this node (install the cluster key and map: setpe)');
      return m(p, p.to);
    },
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
