/**
 * Migration and remote starts across the cluster, wired into the daemon: serves
 * `jobs.migrate` / `migrate PID N|home|best`, the balancer's migration service, the signal
 * path for jobs away, the peer requests of the protocol, and the remote half of runon and
 * parallel starts.
 */
import { jobKey } from '../../shared/domain/process.js';
import type { JobRecord, JobSpec } from '../../shared/jobs/job.js';
import type { JobCandidate } from '../balance/decide.js';
import { bestNode } from '../balance/decide.js';
import { defineFeature, type DaemonContext, type PartsProviding, type ServicesFor } from '../daemon/feature.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { jobCandidates } from './candidates.js';
import { GuestEnds } from './guestEnds.js';
import { migrationParts } from './migrationParts.js';
import { realClock } from './realClock.js';
import { fileFailpoints } from './failpoints.js';
import type { MigrationService } from '../daemon/services.js';
import { log as agentLog } from '../log/log.js';

function buildMigrate(ctx: DaemonContext, services: ServicesFor<'jobs'>): PartsProviding<'migration'> {
  const service = services.jobs;
  const log = (m: string) => agentLog.warn(m);
  const blocks = () => services.controls?.flags().block ?? service.config.blockGuests;
  const link = () => ctx.peers.net;
  const candidates = (): JobCandidate[] => jobCandidates(service.registry.list(), ctx.latest()?.procs ?? [], (cwd) => service.cwdProblem(cwd));
  const { target, orch, control, peerHandlers, recover } = migrationParts({
    jobs: service,
    stateDir: ctx.paths.dir,
    clock: realClock,
    link,
    blocksGuests: blocks,
    bestNode: (job) => {
      const view = services.clusterView?.view();
      if (!view || view.length < 2) return undefined;
      const self = view.find((v) => v.self);
      const c = candidates().find((x) => x.key === jobKey(job.ref));
      return self && c ? bestNode(view.filter((v) => v.up), c, self.node).node : undefined;
    },
    log,
    failpoint: fileFailpoints(ctx.paths.dir),
    onOutcome: (o) => services.moves?.record(o),
    progress: (p) => {
      ctx.broadcast('jobs.progress', p);
      if (p.phase === 'failed') services.alertEvents?.migrationFailed(p);
    },
    jobBytes: (key) => {
      const mine = (ctx.latest()?.procs ?? []).filter((p) => p.job && jobKey(p.job) === key);
      return mine.length ? mine.reduce((a, p) => a + p.rssKb * 1024, 0) : undefined;
    },
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
        // The copy runs as the job's owner there too.
        const spec: JobSpec = { argv: r.argv, cwd: r.cwd, mode: r.mode, ...(r.owner ? { owner: r.owner } : {}) };
        try {
          const started = await net.request(node, 'jobs.startRemote', { ...spec, ref: r.ref }, 30_000);
          service.registry.record({ ...r, state: 'away', where: node, dir: started.dir, note: `started on node ${node}` });
        } catch (e) {
          service.registry.note(r.ref, { note: `not started on node ${node} yet: ${(e as Error).message}` });
        }
      }
    } finally {
      dispatching = false;
    }
  };

  const migration: MigrationService = {
    candidates,
    away: () => service.registry.list().filter((r) => r.where !== 0 && r.state === 'away').length,
    migrate: async (key, to, reason) => {
      await orch.migrate({ ref: service.job(key).ref }, to, reason === 'admin' ? 'admin' : 'balancer');
    },
  };

  const guestEnds = new GuestEnds({
    list: () => service.registry.list(),
    remove: (key) => service.registry.remove(key),
    self: () => ctx.peers.net?.selfId,
    tell: async (home, req) => {
      const net = ctx.peers.net;
      if (!net) throw new RpcError('ENOCLUSTER', 'this node is not in a cluster');
      return net.request(home, 'jobs.ended', req);
    },
    now: Date.now,
    log,
  });

  return {
    services: { migration },
    peerHandlers,
    // Images of a migration land where the target side restores them from (a pre-copy
    // round's or the final dump's in their own subdirectory).
    transferDir: (h) => target.transferDir(h.transfer),
    // A migration's memory pages arrive on a page channel of their own, into the target's page server.
    pagesHandler: (h, channel) => target.acceptPages(h.pages, h.from, channel),
    handlers: {
      'jobs.signal': (p) => control.signal(p, p.signal),
      'jobs.renice': (p) => control.renice(p, p.nice),
      'jobs.check': (p) => control.check(p, p.target),
      'jobs.migrate': (p) => orch.migrate(p, p.to),
      'jobs.start': async (spec): Promise<JobRecord[]> => {
        const records = await service.start(spec);
        if (records.some((r) => r.state === 'pending')) await dispatchPending();
        return records.map((r) => service.registry.get(r.ref) ?? r);
      },
    },
    start: recover,
    onSample: () => {
      void dispatchPending();
      guestEnds.sweep();
    },
  };
}

export const migrateFeature = defineFeature({ name: 'migrate', provides: ['migration'], needs: ['jobs'], build: buildMigrate });
