/**
 * The jobs feature of the daemon: its requests, the process-list annotation, and the
 * once-a-second watch for jobs that ended. It provides the node's one JobsService as the
 * "jobs" service, which the migration feature drives.
 */
import { defineFeature, type DaemonContext, type PartsProviding } from '../daemon/feature.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests } from '../../shared/protocol/agent.js';
import { homedir } from 'node:os';
import { statSync } from 'node:fs';
import { JobsService } from './jobsService.js';
import { ShareDetector } from './shareDetector.js';
import { answerLook } from './shareProbe.js';
import { precheck, sharedWorkdir } from './precheck.js';

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

function buildJobs(ctx: DaemonContext): PartsProviding<'jobs'> {
  // The user's home and the jobs directory are tested as a whole; a job's own directory too.
  const shares = new ShareDetector({ link: () => ctx.peers.net, roots: () => [homedir(), service.config.jobsDir], now: Date.now });
  const service: JobsService = new JobsService({
    stateDir: ctx.paths.dir,
    mapNodeId: () => ctx.peers.membership?.selfId ?? null,
    clusterNodes: () => ctx.peers.membership?.nodes.map((n) => n.id),
    onChange: (r) => ctx.broadcast('jobs.changed', r),
    shares,
  });
  const checkDeps = () => ({ criu: () => service.criu(), isDir, config: service.config, shares });
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
    'jobs.precheck': (spec) => precheck(spec, checkDeps()),
    'jobs.workdir': () => sharedWorkdir(homedir(), checkDeps()),
    'jobs.setNodeId': ({ node }) => ({ node: service.setNodeId(node) }),
    'jobs.forget': ({ ref, unreachable }) => (service.forget(ref, { unreachable: unreachable === true }), null),
  };
  return {
    handlers,
    peerHandlers: { 'share.look': (req) => answerLook(req) },
    services: { jobs: service },
    start: () => {
      void service.criu(); // probing takes a few hundred ms: do not hold up the daemon
      service.poll();
    },
    onSample: () => service.poll(),
    annotateProcs: (procs) => service.annotate(procs),
  };
}

export const jobsFeature = defineFeature({ name: 'jobs', provides: ['jobs'], build: buildJobs });
