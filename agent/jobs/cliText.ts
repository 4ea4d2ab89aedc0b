/**
 * What the job tools print, as pure functions of what the daemon answered: mosrun's report
 * of a start, and mps (ps with openMosix's node column: 0 = here, N = running on node N).
 */
import { jobKey, type ProcInfo } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { startFailure } from '../../shared/jobs/startFailure.js';
import { REMOTE_ID_BASE } from './jobsService.js';

export interface StartReport {
  out: string[];
  err: string[];
  /** Set when a copy could not run its program: the shell's 126 or 127, as a shell would exit. */
  exitCode?: number;
}

/** mosrun's answer: one line per copy, and the failures on stderr with the program named. */
export function describeStarted(records: readonly JobRecord[]): StartReport {
  const report: StartReport = { out: [], err: [] };
  for (const r of records) {
    const key = jobKey(r.ref);
    const failed = startFailure(r);
    if (failed) {
      report.err.push(`job ${key}${r.where ? ` on node ${r.where}` : ''} ${failed}`);
      report.exitCode ??= r.exitStatus;
    } else if (r.state === 'pending') report.out.push(`job ${key}: to be started on node ${r.where} (${r.note ?? 'by the cluster channel'})`);
    else if (r.state === 'away') report.out.push(`job ${key} started on node ${r.where} (its home is node ${r.ref.home}); output in ${r.dir}`);
    else if (r.state === 'running' || r.state === 'stopped') report.out.push(`job ${key} started, pid ${r.pid}; output in ${r.dir}`);
    else {
      const how = r.exitStatus !== undefined ? `exit status ${r.exitStatus}` : r.state;
      report.out.push(`job ${key} started and has already ended (${how}); output in ${r.dir}`);
    }
  }
  if (records.length === 0) {
    report.err.push('nothing started: no node in that choice');
    report.exitCode = 1;
  }
  return report;
}

export const MPS_USAGE = 'usage: mps [-j] [-u USER[,USER...]] [-p PID[,PID...]] [PID...]   (-j: mosrun jobs only)';

export interface MpsFilter {
  jobsOnly: boolean;
  users: string[];
  pids: number[];
}

/** ps's ways of choosing: -u users, -p and bare PIDs, and mps's own -j. */
export function parseMpsArgs(args: readonly string[]): MpsFilter {
  const f: MpsFilter = { jobsOnly: false, users: [], pids: [] };
  const list = (v: string | undefined, what: string) => {
    if (!v) throw new Error(`${what} needs a value\n${MPS_USAGE}`);
    return v.split(',').filter(Boolean);
  };
  const pid = (s: string) => {
    if (!/^\d+$/.test(s)) throw new Error(`"${s}" is not a PID (a whole number)\n${MPS_USAGE}`);
    return Number(s);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-j') f.jobsOnly = true;
    else if (a === '-u' || a === '-U') f.users.push(...list(args[++i], a));
    else if (a.startsWith('-u') || a.startsWith('-U')) f.users.push(...list(a.slice(2), a.slice(0, 2)));
    else if (a === '-p') f.pids.push(...list(args[++i], '-p').map(pid));
    else if (a.startsWith('-')) throw new Error(`unknown option "${a}"\n${MPS_USAGE}`);
    else f.pids.push(...list(a, 'PID').map(pid));
  }
  return f;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** The PID a job is known by at its home: mosrun printed it; it stays the job's while away. */
const jobPid = (p: ProcInfo) => p.job ?? p.away;

function chosen(p: ProcInfo, f: MpsFilter): boolean {
  if (f.jobsOnly && !jobPid(p)) return false;
  if (f.users.length && !f.users.includes(p.user)) return false;
  if (f.pids.length && !f.pids.includes(p.pid) && !f.pids.includes(jobPid(p)?.id ?? -1)) return false;
  return true;
}

/** One line per process (ps), a job away under its PID with the node it runs on, pending starts last. */
export function mpsLines(procs: readonly ProcInfo[], jobs: readonly JobRecord[], f: MpsFilter): string[] {
  const out = [`${pad('PID', 7)} ${pad('NODE', 4)} ${'JOB'.padEnd(12)} S ${pad('NI', 3)} ${pad('%CPU', 5)} ${pad('RSS', 8)} COMMAND`];
  for (const p of procs) {
    if (!chosen(p, f)) continue;
    const ref = jobPid(p);
    const pid = p.away && p.pid >= REMOTE_ID_BASE ? '-' : p.pid;
    const idle = p.away !== undefined;
    out.push(
      `${pad(pid, 7)} ${pad(p.where, 4)} ${(ref ? jobKey(ref) : '-').padEnd(12)} ${p.state} ${pad(idle ? '-' : p.nice, 3)} ` +
        `${pad(idle ? '-' : p.cpu.toFixed(1), 5)} ${pad(idle ? '-' : p.rssKb, 8)} ${p.args || p.command}`,
    );
  }
  for (const r of jobs) {
    if (r.state !== 'pending' || f.users.length || (f.pids.length && !f.pids.includes(r.ref.id))) continue;
    out.push(`${pad('-', 7)} ${pad(r.where, 4)} ${jobKey(r.ref).padEnd(12)} P ${pad('-', 3)} ${pad('-', 5)} ${pad('-', 8)} ${r.argv.join(' ')}`);
  }
  return out;
}
