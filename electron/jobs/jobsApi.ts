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
import { groupJobs, jobAsProcess } from '../../shared/jobs/jobView.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from '../core/clusterTypes.js';
import type { NodeSession } from '../core/nodeSession.js';

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

  /** A node's processes; the rows of its jobs away (openMosix's deputies) are not processes there. */
  async function procsOf(nodeId: NodeId): Promise<ProcInfo[]> {
    return (await ctx.session(nodeId).request('procs', null)).filter((p) => p.away === undefined);
  }

  async function procOf(nodeId: NodeId, pid: number | undefined): Promise<ProcInfo | undefined> {
    if (!pid) return undefined;
    return (await procsOf(nodeId)).find((p) => p.pid === pid);
  }

  /** Why the node a job's record names cannot be asked about it; undefined when it can. */
  async function unreachable(node: NodeId, ref: JobRecord['ref']): Promise<{ node: NodeId; why: string } | undefined> {
    const s = ctx.sessions().find((x) => x.id === node);
    if (!s) return { node, why: `node ${node} is not in this cluster's map` };
    const v = s.view;
    if (v.status !== 'up') return { node, why: `node ${node} (${v.host}) is ${v.status}${v.reason ? `: ${v.reason}` : ''}` };
    try {
      await s.request('jobs.get', { ref });
      return undefined;
    } catch (e) {
      // Up as far as the session knows, but its link may be gone before the session has noticed.
      if ((e as RpcError).code !== 'ENOTFOUND') return { node, why: `node ${node} (${v.host}) does not answer: ${(e as Error).message}` };
      return { node, why: `node ${node} (${v.host}) is up but does not know the job: it may have ended there without its home being told` };
    }
  }

  async function status(t: ApiProcTarget): Promise<ProcStatus> {
    if ('pid' in t) {
      // The PID of a job away, at its home: follow the job (openMosix kept the PID with it).
      const deputy = (await ctx.session(t.nodeId).request('procs', null)).find((p) => p.pid === t.pid && p.away);
      if (deputy?.away) return status({ nodeId: t.nodeId, ref: deputy.away });
    }
    const l = await locate(t);
    if (!l.running) {
      const job = l.job!;
      const gone = job.state === 'away' && job.where > 0 ? await unreachable(job.where, job.ref) : undefined;
      return gone ? { nodeId: gone.node, job, reasons: [], unreachable: gone } : { nodeId: l.nodeId, job, reasons: [] };
    }
    const s = ctx.session(l.nodeId);
    const procs = await procsOf(l.nodeId);
    const pid = 'pid' in l.target ? l.target.pid : l.job?.pid;
    let proc = pid ? procs.find((p) => p.pid === pid) : undefined;
    const ref = l.job?.ref ?? proc?.job;
    const job = l.job ?? (ref ? await s.request('jobs.get', { ref }).catch(() => undefined) : undefined);
    // A job is one process to the admin: the command they started, not its wrapper.
    const members = ref ? groupJobs(procs).get(jobKey(ref)) : undefined;
    if (members) proc = jobAsProcess(members, job);
    if (!proc) return { nodeId: l.nodeId, ...(job ? { job } : {}), reasons: [] };
    const { reasons } = await s.request('jobs.check', l.target);
    return { nodeId: l.nodeId, proc, ...(job ? { job } : {}), reasons };
  }

  // Requests arrive checked (shared/protocol/apiJobs.validate.ts): what is left here needs the cluster's state.
  return {
    'job.list': async ({ nodeId }) => ctx.session(nodeId).request('jobs.list', null),
    'job.start': async ({ nodeId, argv, cwd, mode }) => {
      const s = ctx.session(nodeId);
      const records = await s.request('jobs.start', { argv, cwd, mode, nodes: ids() }, START_TIMEOUT_MS);
      // A copy started on another node has run its program, or failed to, by now: its home
      // learns which from the job directory when asked.
      return Promise.all(records.map((r) => (r.state === 'away' ? s.request('jobs.get', { ref: r.ref }).catch(() => r) : r)));
    },
    'job.precheck': async ({ nodeId, argv, cwd, mode }) => ctx.session(nodeId).request('jobs.precheck', { argv, cwd, mode }, PRECHECK_TIMEOUT_MS),
    'node.workdir': async ({ nodeId }) => ctx.session(nodeId).request('jobs.workdir', null, PRECHECK_TIMEOUT_MS),
    'job.signal': async (req) => {
      const l = await runningAt(req);
      return ctx.session(l.nodeId).request('jobs.signal', { ...l.target, signal: req.signal });
    },
    'job.renice': async (req) => {
      const l = await runningAt(req);
      return ctx.session(l.nodeId).request('jobs.renice', { ...l.target, nice: req.nice });
    },
    'job.lock': async (req) => {
      const t: ApiProcTarget = req;
      const l = await locate(t);
      let ref = l.job?.ref;
      if (!ref && 'pid' in t) ref = (await procOf(l.nodeId, t.pid))?.job;
      if (!ref) throw new RpcError('EINVAL', `process ${'pid' in t ? t.pid : ''} on node ${l.nodeId} is not a mosrun job: only jobs can be locked or unlocked`);
      return ctx.session(l.nodeId).request('jobs.lock', { ref, locked: req.locked });
    },
    'job.migrate': async (req) => {
      const { to } = req;
      if (typeof to === 'number') ctx.session(to); // a node not in the map: say so before anything moves
      const l = await runningAt(req);
      // A large job's dump, copy and restore take a while: wait as long as the agent may.
      return ctx.session(l.nodeId).request('jobs.migrate', { ...l.target, to }, MIGRATE_TIMEOUT_MS);
    },
    'job.status': async (req) => status(req),
    'job.forget': async ({ nodeId, ref }) => {
      const s = ctx.session(nodeId);
      const r = await s.request('jobs.get', { ref });
      if (r.state !== 'away') return s.request('jobs.forget', { ref });
      if (!(await unreachable(r.where, ref))) {
        throw new RpcError('EBUSY', `node ${r.where} is up and runs job ${jobKey(ref)}: kill it in its migrator instead`);
      }
      return s.request('jobs.forget', { ref, unreachable: true });
    },
    'node.guests': async ({ nodeId }) => (await ctx.session(nodeId).request('procs', null)).filter((p) => p.guestFrom !== undefined),
    'node.files': async ({ nodeId, path }) => ctx.session(nodeId).request('fs.list', { path }),
  };
}

const MIGRATE_TIMEOUT_MS = 10 * 60_000;
/** The agent asks every other node (each within its own limit) what it shares. */
const PRECHECK_TIMEOUT_MS = 30_000;
/** A start waits for the program to run on every node it goes to (remote copies too). */
const START_TIMEOUT_MS = 60_000;

export const jobsApi: ApiFeature = (ctx) => makeJobsApi(ctx);
