/**
 * A job as the admin thinks of it: one process, the command they started. On the node a
 * job is `unshare` (while it runs where it started), the init shell that waits for the
 * command and writes its exit status, and the command with its children. The windows show
 * the job as one row (the user's argv, the command's state, the CPU and memory of all of
 * them) and these internals only on request.
 */
import { jobKey, type ProcInfo } from '../domain/process.js';
import type { JobRecord } from './job.js';

export interface JobMembers {
  key: string;
  /** PID 1 of the job's namespace: the shell that runs the command. */
  init: ProcInfo;
  /** The command the admin started: the init's child (the init itself for a shell builtin). */
  command: ProcInfo;
  /** unshare, parent of the init, while the job runs on the node it started on. */
  unshare?: ProcInfo;
  /** Every process of the job, unshare and init first, then the command and its children. */
  all: ProcInfo[];
}

/** The jobs among a node's processes (ProcInfo.job), each with its parts, in order of the init's PID. */
export function groupJobs(procs: readonly ProcInfo[]): Map<string, JobMembers> {
  const byKey = new Map<string, ProcInfo[]>();
  for (const p of procs) {
    if (!p.job) continue;
    const k = jobKey(p.job);
    const list = byKey.get(k);
    if (list) list.push(p);
    else byKey.set(k, [p]);
  }
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const out = new Map<string, JobMembers>();
  for (const [key, list] of byKey) {
    const pids = new Set(list.map((p) => p.pid));
    const init = list.find((p) => !pids.has(p.ppid)) ?? list[0]!;
    const kids = list.filter((p) => p.ppid === init.pid).sort((a, b) => a.pid - b.pid);
    const command = kids[0] ?? init;
    const parent = byPid.get(init.ppid);
    const unshare = parent && !parent.job && parent.command === 'unshare' ? parent : undefined;
    const rest = list.filter((p) => p !== init).sort((a, b) => (a === command ? -1 : b === command ? 1 : a.pid - b.pid));
    out.set(key, { key, init, command, ...(unshare ? { unshare } : {}), all: [...(unshare ? [unshare] : []), init, ...rest] });
  }
  return new Map([...out].sort((a, b) => a[1].init.pid - b[1].init.pid));
}

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1) || path;

/**
 * The job as one process: the init's PID (the one the tools take), the user's command line,
 * the command's state, user and nice, and the CPU and memory of every process of the job.
 */
export function jobAsProcess(m: JobMembers, record?: Pick<JobRecord, 'argv'>): ProcInfo {
  const sum = (f: (p: ProcInfo) => number) => m.all.reduce((a, p) => a + f(p), 0);
  const argv = record?.argv;
  const row: ProcInfo = {
    ...m.init,
    user: m.command.user,
    command: argv?.[0] ? base(argv[0]) : m.command.command,
    args: argv ? argv.join(' ') : m.command.args,
    state: m.command.state,
    nice: m.command.nice,
    cpu: sum((p) => p.cpu),
    rssKb: sum((p) => p.rssKb),
  };
  return row;
}

/** PIDs that belong to a job, unshare included: the rows "show job internals" reveals. */
export function internalPids(jobs: ReadonlyMap<string, JobMembers>): Set<number> {
  const out = new Set<number>();
  for (const m of jobs.values()) for (const p of m.all) out.add(p.pid);
  return out;
}
