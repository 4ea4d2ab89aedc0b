/**
 * Signals, nice and the can-it-move check for a job wherever it runs: here, or (asked at its
 * home node) on the node it migrated to, as openMosix's deputy forwarded them. At its home
 * node a job keeps the PID it started with, whatever PID a restore gave it elsewhere.
 */
import { jobKey } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { JobSignal, ProcTarget } from '../../shared/protocol/agentJobs.js';
import type { TargetFacts } from '../../shared/jobs/targetFacts.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { JobsService } from '../jobs/jobsService.js';
import type { PeerLink } from './ports.js';

export class JobControl {
  constructor(private readonly d: { jobs: JobsService; link(): PeerLink | undefined }) {}

  private resolveTarget(t: ProcTarget): { here: ProcTarget } | { away: JobRecord } {
    const { jobs } = this.d;
    let r = 'ref' in t ? jobs.registry.get(t.ref) : undefined;
    if (!('ref' in t) && !jobs.jobOfPid(t.pid)) {
      r = jobs.registry.list().find((x) => x.ref.home === jobs.nodeId && x.ref.id === t.pid);
      if (r && r.where === 0) return { here: { ref: r.ref } };
    }
    return r && r.where !== 0 && r.state === 'away' ? { away: r } : { here: t };
  }

  private remote() {
    const link = this.d.link();
    if (!link) throw new RpcError('ENOCLUSTER', 'this node is not in a cluster: the job runs elsewhere and cannot be reached');
    return link;
  }

  async signal(p: ProcTarget, signal: JobSignal): Promise<null> {
    const t = this.resolveTarget(p);
    if ('away' in t) await this.remote().request(t.away.where, 'mig.signal', { ref: t.away.ref, signal });
    else this.d.jobs.signal(t.here, signal);
    return null;
  }

  async renice(p: ProcTarget, nice: number): Promise<null> {
    const t = this.resolveTarget(p);
    if ('away' in t) await this.remote().request(t.away.where, 'mig.renice', { ref: t.away.ref, nice });
    else this.d.jobs.renice(t.here, nice);
    return null;
  }

  async check(p: ProcTarget, target?: TargetFacts): Promise<{ reasons: string[] }> {
    const t = this.resolveTarget(p);
    if ('away' in t) throw new RpcError('EAWAY', `job ${jobKey(t.away.ref)} runs on node ${t.away.where}: check it there`);
    return { reasons: await this.d.jobs.check(t.here, target) };
  }
}
