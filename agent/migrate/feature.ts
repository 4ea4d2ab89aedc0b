/**
 * Migration and remote starts across the cluster: the jobs feature's local steps, driven
 * over the peer channel. Serves `jobs.migrate` / `migrate PID N|home|best`, the balancer's
 * migration service, and the remote half of runon and parallel starts.
 */
import { jobKey } from '../../shared/domain/process.js';
import type { JobRecord, JobSpec } from '../../shared/jobs/job.js';
import type { JobCandidate } from '../../shared/balancing/decide.js';
import { bestNode } from '../../shared/balancing/decide.js';
import type { FeatureFactory } from '../daemon/feature.js';
import type { ProcTarget } from '../../shared/protocol/agentJobs.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { jobsApi } from '../jobs/index.js';
import { Orchestrator } from './orchestrator.js';
import { jobCandidates } from './candidates.js';
import { GuestEnds } from './guestEnds.js';
import { TargetSide } from './targetSide.js';

export const migrateFeature: FeatureFactory = (ctx) => {
  const api = jobsApi(ctx);
  const { service } = api;
  const log = (m: string) => process.stderr.write(`mosixview-agent: ${m}\n`);
  const blocks = () => ctx.services.controls?.flags().block ?? service.config.blockGuests;
  const target = new TargetSide(api, ctx.paths.dir, blocks);

  const candidates = (): JobCandidate[] => jobCandidates(service.registry.list(), ctx.latest()?.procs ?? []);

  const orch = new Orchestrator({
    api,
    stateDir: ctx.paths.dir,
    net: () => ctx.peers.net,
    bestNode: (job) => {
      const view = ctx.services.clusterView?.view();
      if (!view || view.length < 2) return undefined;
      const self = view.find((v) => v.self);
      const c = candidates().find((x) => x.key === jobKey(job.ref));
      return self && c ? bestNode(view.filter((v) => v.up), c, self.node).node : undefined;
    },
    restoreTimeoutMs: service.config.criuTimeoutMs + 15_000,
    log,
  });

  /** runon / parallel: start the recorded remote copies; retried each second until done. */
  let dispatching = false;
  const dispatchPending = async (): Promise<void> => {
    const net = ctx.peers.net;
    if (!net || dispatching) return;
    dispatching = true;
    try {
      for (const r of service.registry.list().filter((x) => x.state === 'pending' && x.targets?.length)) {
        const node = r.targets![0]!;
        const spec: JobSpec = { argv: r.argv, cwd: r.cwd, mode: r.mode };
        try {
          const started = await net.request(node, 'jobs.startRemote', { ...spec, ref: r.ref }, 30_000);
          service.registry.put({ ...r, state: 'away', where: node, dir: started.dir, note: `started on node ${node}` });
        } catch (e) {
          service.registry.update(r.ref, { note: `not started on node ${node} yet: ${(e as Error).message}` });
        }
      }
    } finally {
      dispatching = false;
    }
  };

  ctx.peers.registerHandlers({
    ...target.handlers(),
    'mig.migrate': ({ ref, to }) => orch.migrate({ ref }, to),
    'mig.signal': ({ ref, signal }) => (service.signal({ ref }, signal), null),
    'mig.renice': ({ ref, nice }) => (service.renice({ ref }, nice), null),
  });

  /**
   * At its home node a job keeps the PID it started with, as under openMosix, wherever it
   * runs now and whatever PID a restore gave it: resolve that PID to the job.
   */
  const resolveTarget = (t: ProcTarget): { here: ProcTarget } | { away: JobRecord } => {
    let r = 'ref' in t ? service.registry.get(t.ref) : undefined;
    if (!('ref' in t) && !service.jobOfPid(t.pid)) {
      r = service.registry.list().find((x) => x.ref.home === service.nodeId && x.ref.id === t.pid);
      if (r && r.where === 0) return { here: { ref: r.ref } };
    }
    return r && r.where !== 0 && r.state === 'away' ? { away: r } : { here: t };
  };
  const remote = () => {
    const net = ctx.peers.net;
    if (!net) throw new RpcError('ENOCLUSTER', 'this node is not in a cluster: the job runs elsewhere and cannot be reached');
    return net;
  };
  ctx.peers.setTransferDir((h) => target.dirOf(h.transfer));
  api.migrator = (t, to) => orch.migrate(t, to);
  ctx.services.migration = {
    candidates,
    away: () => service.registry.list().filter((r) => r.where !== 0 && r.state === 'away').length,
    migrate: async (key, to) => {
      await orch.migrate({ ref: service.job(key).ref }, to);
    },
  };

  const guestEnds = new GuestEnds({
    list: () => service.registry.list(),
    remove: (key) => service.registry.remove(key),
    self: () => ctx.peers.net?.selfId,
    tell: async (home, req) => remote().request(home, 'jobs.ended', req),
    now: Date.now,
    log,
  });

  return {
    name: 'migrate',
    handlers: {
      'jobs.signal': async (p) => {
        const t = resolveTarget(p);
        if ('away' in t) await remote().request(t.away.where, 'mig.signal', { ref: t.away.ref, signal: p.signal });
        else service.signal(t.here, p.signal);
        return null;
      },
      'jobs.renice': async (p) => {
        const t = resolveTarget(p);
        if ('away' in t) await remote().request(t.away.where, 'mig.renice', { ref: t.away.ref, nice: p.nice });
        else service.renice(t.here, p.nice);
        return null;
      },
      'jobs.check': async (p) => {
        const t = resolveTarget(p);
        if ('away' in t) throw new RpcError('EAWAY', `job ${jobKey(t.away.ref)} runs on node ${t.away.where}: check it there`);
        return { reasons: await service.check(t.here, p.target) };
      },
      'jobs.start': async (spec): Promise<JobRecord[]> => {
        const records = await service.start(spec);
        if (records.some((r) => r.state === 'pending')) await dispatchPending();
        return records.map((r) => service.registry.get(r.ref) ?? r);
      },
    },
    start: () => {
      target.discardLeftovers();
      orch.resumePending();
    },
    onSample: () => {
      void dispatchPending();
      guestEnds.sweep();
    },
  };
};
