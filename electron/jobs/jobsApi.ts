/**
 * The jobs API in the main process: every request goes to the agent of the node the
 * process runs on. A job is followed by its identity, since migration changes its node
 * and PID; agents announce changed records ('jobs.changed'), which the windows get as
 * 'job.changed'.
 */
import { RpcError } from '../../shared/protocol/rpc.js';
import { jobKey, type ProcInfo } from '../../shared/domain/process.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { ProcTarget } from '../../shared/protocol/agentJobs.js';
import type { ApiProcTarget, JobApiRequests, ProcStatus } from '../../shared/protocol/apiJobs.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from '../core/clusterService.js';
import type { NodeSession } from '../core/nodeSession.js';
import { intParam, nodeIdParam } from '../core/params.js';
import { absPathParam, argvParam, boolParam, browsePathParam, migrateToParam, modeParam, signalParam, targetParam } from './jobParams.js';

type JobHandlers = Pick<ApiHandlers, keyof JobApiRequests>;

/** States in which the job's processes exist on the node that reports them. */
const HERE_STATES = new Set<JobRecord['state']>(['running', 'stopped', 'frozen']);
const runsHere = (r: JobRecord) => r.where === 0 && !!r.pid && HERE_STATES.has(r.state);

/** Where a target is now: the node, what to tell its agent, and the job record if it is one. */
interface Located {
  nodeId: NodeId;
  target: ProcTarget;
  job?: JobRecord;
  /** False for a job that no node runs any more (the record is its last one). */
  running: boolean;
}

export function makeJobsApi(ctx: ServiceContext): JobHandlers {
  for (const s of ctx.sessions()) {
    s.onAgentEvent('jobs.changed', (record) => ctx.emit('job.changed', { nodeId: s.id, record }));
    s.onAgentEvent('jobs.progress', (progress) => ctx.emit('job.progress', { nodeId: s.id, progress }));
  }

  const ids = () => ctx.sessions().map((s) => s.id);
  const up = (id: NodeId): NodeSession | undefined => ctx.sessions().find((s) => s.id === id && s.view.status === 'up');
  const getJob = (id: NodeId, ref: JobRecord['ref']) => up(id)?.request('jobs.get', { ref }).catch(() => undefined) ?? Promise.resolve(undefined);

  /**
   * A job by its identity: the node asked first, then its home and where the home says it
   * went, then every other node (a job may have moved on from where its home sent it).
   */
  async function locate(t: ApiProcTarget): Promise<Located> {
    if ('pid' in t) {
      ctx.session(t.nodeId); // ENONODE for a node not in the map
      return { nodeId: t.nodeId, target: { pid: t.pid }, running: true };
    }
    ctx.session(t.nodeId);
    const tried = new Set<NodeId>();
    let last: { nodeId: NodeId; job: JobRecord } | undefined;
    const tryNode = async (id: NodeId): Promise<Located | undefined> => {
      if (tried.has(id)) return undefined;
      tried.add(id);
      const job = await getJob(id, t.ref);
      if (!job) return undefined;
      if (runsHere(job)) return { nodeId: id, target: { ref: t.ref }, job, running: true };
      if (!last || id === t.ref.home) last = { nodeId: id, job };
      return job.where > 0 ? tryNode(job.where) : undefined;
    };
    for (const id of [t.nodeId, t.ref.home]) {
      const hit = await tryNode(id);
      if (hit) return hit;
    }
    const rest = await Promise.all(ids().filter((id) => !tried.has(id)).map(tryNode));
    const hit = rest.find((x) => x);
    if (hit) return hit;
    if (last) return { nodeId: last.nodeId, target: { ref: t.ref }, job: last.job, running: false };
    throw new RpcError('ENOTFOUND', `no node that is up knows job ${jobKey(t.ref)}`);
  }

  const notRunning = (l: Located) =>
    new RpcError('EGONE', `job ${jobKey(l.job!.ref)} is not running (${l.job!.state}${l.job!.exitStatus !== undefined ? `, exit status ${l.job!.exitStatus}` : ''})`);

  async function runningAt(t: ApiProcTarget): Promise<Located> {
    const l = await locate(t);
    if (!l.running) throw notRunning(l);
    return l;
  }

  async function procOf(nodeId: NodeId, pid: number | undefined): Promise<ProcInfo | undefined> {
    if (!pid) return undefined;
    return (await ctx.session(nodeId).request('procs', null)).find((p) => p.pid === pid);
  }

  async function status(t: ApiProcTarget): Promise<ProcStatus> {
    const l = await locate(t);
    if (!l.running) return { nodeId: l.nodeId, job: l.job!, reasons: [] };
    const s = ctx.session(l.nodeId);
    const proc = await procOf(l.nodeId, 'pid' in l.target ? l.target.pid : l.job?.pid);
    if (!proc) return { nodeId: l.nodeId, ...(l.job ? { job: l.job } : {}), reasons: [] };
    const job = l.job ?? (proc.job ? await s.request('jobs.get', { ref: proc.job }).catch(() => undefined) : undefined);
    const { reasons } = await s.request('jobs.check', l.target);
    return { nodeId: l.nodeId, proc, ...(job ? { job } : {}), reasons };
  }

  return {
    'job.list': async (req) => ctx.session(nodeIdParam(req)).request('jobs.list', null),
    'job.start': async (req) => {
      const s = ctx.session(nodeIdParam(req));
      const spec = { argv: argvParam(req), cwd: absPathParam(req, 'cwd'), mode: modeParam(req), nodes: ids() };
      return s.request('jobs.start', spec);
    },
    'job.signal': async (req) => {
      const signal = signalParam(req);
      const l = await runningAt(targetParam(req));
      return ctx.session(l.nodeId).request('jobs.signal', { ...l.target, signal });
    },
    'job.renice': async (req) => {
      const nice = intParam(req, 'nice', -20, 19);
      const l = await runningAt(targetParam(req));
      return ctx.session(l.nodeId).request('jobs.renice', { ...l.target, nice });
    },
    'job.lock': async (req) => {
      const locked = boolParam(req, 'locked');
      const t = targetParam(req);
      const l = await locate(t);
      let ref = l.job?.ref;
      if (!ref && 'pid' in t) ref = (await procOf(l.nodeId, t.pid))?.job;
      if (!ref) throw new RpcError('EINVAL', `process ${'pid' in t ? t.pid : ''} on node ${l.nodeId} is not a mosrun job: only jobs can be locked or unlocked`);
      return ctx.session(l.nodeId).request('jobs.lock', { ref, locked });
    },
    'job.migrate': async (req) => {
      const to = migrateToParam(req);
      if (typeof to === 'number') ctx.session(to); // a node not in the map: say so before anything moves
      const l = await runningAt(targetParam(req));
      // A large job's dump, copy and restore take a while: wait as long as the agent may.
      return ctx.session(l.nodeId).request('jobs.migrate', { ...l.target, to }, MIGRATE_TIMEOUT_MS);
    },
    'job.status': async (req) => status(targetParam(req)),
    'node.guests': async (req) => (await ctx.session(nodeIdParam(req)).request('procs', null)).filter((p) => p.guestFrom !== undefined),
    'node.files': async (req) => ctx.session(nodeIdParam(req)).request('fs.list', { path: browsePathParam(req) }),
  };
}

const MIGRATE_TIMEOUT_MS = 10 * 60_000;

export const jobsApi: ApiFeature = (ctx) => makeJobsApi(ctx);
