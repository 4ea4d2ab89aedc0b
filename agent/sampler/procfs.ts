/**
 * Parsers for the /proc (and /etc/passwd) texts the sampler needs, plus a reader that
 * fetches them under a configurable root so tests can point it at a fixture tree.
 * Parsers are pure: text in, data out, undefined when the text is not what we expect.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The fields of /proc/[pid]/stat the sampler uses (see proc(5)). */
export interface PidStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Kernel PF_* flags; PF_KTHREAD marks kernel threads reliably, even inside a PID namespace. */
  flags: number;
  /** User and system CPU time, in clock ticks, summed over all threads. */
  utime: number;
  stime: number;
  /** CPU time of reaped children (and theirs), in clock ticks: how ended processes leave a trace. */
  cutime: number;
  cstime: number;
  nice: number;
  threads: number;
  /** Start time in clock ticks after boot: with pid it identifies one process for good. */
  starttime: number;
  rssPages: number;
}

/** Kernel's PF_KTHREAD (include/linux/sched.h). */
export const PF_KTHREAD = 0x00200000;

export function parseStat(text: string): PidStat | undefined {
  const open = text.indexOf('(');
  // comm may itself contain ')' and spaces; only the last ')' closes it.
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const f = text.slice(close + 2).trim().split(' ');
  // f[0] is field 3 (state); field n of proc(5) is f[n - 3].
  if (!Number.isInteger(pid) || f.length < 22) return undefined;
  const n = (i: number): number => Number(f[i - 3]);
  const st: PidStat = {
    pid,
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: n(4),
    flags: n(9),
    utime: n(14),
    stime: n(15),
    cutime: n(16),
    cstime: n(17),
    nice: n(19),
    threads: n(20),
    starttime: n(22),
    rssPages: n(24),
  };
  return Number.isFinite(st.utime) && Number.isFinite(st.starttime) ? st : undefined;
}

/** Kernel threads have no user space: skip them in lists and in demand. */
export function isKernelThread(st: PidStat, args: string): boolean {
  if ((st.flags & PF_KTHREAD) !== 0) return true;
  // The pid/ppid 2 (kthreadd) rule alone would hit ordinary processes inside a PID
  // namespace, where pid 2 is just the second process; require no command line too.
  return (st.pid === 2 || st.ppid === 2) && args === '' && st.state !== 'Z';
}

/**
 * /proc/PID/schedstat (and task/TID/schedstat): one thread's time on a CPU and time spent
 * waiting on a run queue, both in ns since the thread started (then the count of timeslices).
 * Unlike /proc/PID/stat these are per thread: /proc/PID/schedstat is the main thread's only.
 */
export function parseSchedstat(text: string): { runNs: number; waitNs: number } | undefined {
  const [run, wait] = text.trim().split(' ');
  const runNs = Number(run);
  const waitNs = Number(wait);
  return run && wait && Number.isFinite(runNs) && Number.isFinite(waitNs) ? { runNs, waitNs } : undefined;
}

export interface PidStatus {
  /** Real uid. */
  uid?: number;
  /** PIDs from the outermost PID namespace to the process's own (NSpid line). */
  nspid: number[];
  cpusAllowedList?: string;
}

export function parseStatus(text: string): PidStatus {
  const out: PidStatus = { nspid: [] };
  for (const line of text.split('\n')) {
    const tab = line.indexOf(':');
    if (tab < 0) continue;
    const key = line.slice(0, tab);
    const val = line.slice(tab + 1).trim();
    if (key === 'Uid') out.uid = Number(val.split(/\s+/)[0]);
    else if (key === 'NSpid') out.nspid = val.split(/\s+/).map(Number).filter(Number.isInteger);
    else if (key === 'Cpus_allowed_list') out.cpusAllowedList = val;
  }
  return out;
}

/** Number of CPUs in a list like "0-3,6"; 0 when empty or malformed. */
export function countCpuList(list: string): number {
  let count = 0;
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) return 0;
    count += hi - lo + 1;
  }
  return count;
}

/** /proc/meminfo as name → kB (values without a unit are kept as they are). */
export function parseMeminfo(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const v = Number.parseInt(line.slice(colon + 1).trim(), 10);
    if (Number.isFinite(v)) m.set(line.slice(0, colon), v);
  }
  return m;
}

export function parsePasswd(text: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const f = line.split(':');
    const uid = Number(f[2]);
    if (f.length >= 3 && f[0] && f[2] !== '' && Number.isInteger(uid) && !m.has(uid)) m.set(uid, f[0]);
  }
  return m;
}

/** /proc/[pid]/cmdline: NUL-separated arguments, shown space-separated. */
export function parseCmdline(text: string): string {
  return text.replace(/\0+$/, '').replace(/\0/g, ' ');
}

/** /proc/self/cgroup: the cgroup v2 path ("0::/x") and the v1 path per controller. */
export interface CgroupPaths {
  v2?: string;
  v1: Map<string, string>;
}

export function parseCgroup(text: string): CgroupPaths {
  const out: CgroupPaths = { v1: new Map() };
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const ctrls = line.slice(a + 1, b);
    const path = line.slice(b + 1);
    if (line.slice(0, a) === '0' && ctrls === '') out.v2 = path;
    else for (const c of ctrls.split(',')) if (c) out.v1.set(c, path);
  }
  return out;
}

/** Number in a cgroup file; undefined for "max", "-1" and garbage (= no limit). */
export function parseCgroupNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** cgroup v2 cpu.max: "quota period" or "max period". */
export function parseCpuMax(text: string): { quota: number; period: number } | undefined {
  const [q, p] = text.trim().split(/\s+/);
  const quota = Number(q);
  const period = Number(p ?? 100000);
  return Number.isFinite(quota) && quota > 0 && period > 0 ? { quota, period } : undefined;
}

// One buffer for every read: the sampler reads thousands of small files per sample.
let shared = Buffer.allocUnsafe(16 * 1024);

/**
 * Read a small file with open + read + close (readFileSync adds an fstat and an extra
 * read). A short read is taken as the end: /proc generates these files in one go, so a
 * read that does not fill the buffer has returned everything there is.
 */
export function readSmallFile(path: string, maxBytes = 1 << 20): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    let len = 0;
    for (;;) {
      const want = Math.min(shared.length, maxBytes) - len;
      if (want <= 0) {
        if (shared.length >= maxBytes) break;
        const bigger = Buffer.allocUnsafe(Math.min(shared.length * 2, maxBytes));
        shared.copy(bigger, 0, 0, len);
        shared = bigger;
        continue;
      }
      const n = readSync(fd, shared, len, want, null);
      len += n;
      if (n < want) break;
    }
    return shared.toString('utf8', 0, len);
  } catch {
    return undefined; // e.g. ESRCH: the process exited between open and read
  } finally {
    closeSync(fd);
  }
}

/** Reads the files above under `root` ('/' on a real node, a temp dir in tests). */
export class ProcReader {
  private passwd?: { mtimeMs: number; users: Map<number, string> };

  constructor(readonly root = '/') {}

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  read(rel: string, maxBytes?: number): string | undefined {
    return readSmallFile(this.path(rel), maxBytes);
  }

  listPids(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.path('proc'));
    } catch {
      return [];
    }
    const pids: number[] = [];
    for (const n of names) {
      const c = n.charCodeAt(0);
      if (c >= 48 && c <= 57) pids.push(Number(n));
    }
    return pids;
  }

  stat(pid: number): PidStat | undefined {
    const t = this.read(`proc/${pid}/stat`);
    return t === undefined ? undefined : parseStat(t);
  }

  /**
   * Waiting time (ns) of each thread of a process, by TID; undefined when the process is gone
   * or the kernel has no schedstat. A single-threaded process costs one read, not a readdir.
   */
  threadWaits(pid: number, threads: number): Map<number, number> | undefined {
    if (threads <= 1) {
      const t = this.read(`proc/${pid}/schedstat`);
      const s = t === undefined ? undefined : parseSchedstat(t);
      return s && new Map([[pid, s.waitNs]]);
    }
    let tids: string[];
    try {
      tids = readdirSync(this.path(`proc/${pid}/task`));
    } catch {
      return undefined;
    }
    const out = new Map<number, number>();
    for (const tid of tids) {
      const t = this.read(`proc/${pid}/task/${tid}/schedstat`);
      const s = t === undefined ? undefined : parseSchedstat(t);
      if (s) out.set(Number(tid), s.waitNs); // a thread that ended since readdir has no more to say
    }
    return out.size > 0 ? out : undefined;
  }

  /** Capped: the list shows it, nothing parses it, and huge environments-as-args exist. */
  cmdline(pid: number): string | undefined {
    const t = this.read(`proc/${pid}/cmdline`, 8192);
    return t === undefined ? undefined : parseCmdline(t);
  }

  status(pid: number | 'self'): PidStatus | undefined {
    const t = this.read(`proc/${pid}/status`);
    return t === undefined ? undefined : parseStatus(t);
  }

  /** uid → name table, re-read only when /etc/passwd changes; call once per sample. */
  users(): Map<number, string> {
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(this.path('etc/passwd')).mtimeMs;
    } catch {
      /* no passwd: names stay numeric */
    }
    if (!this.passwd || this.passwd.mtimeMs !== mtimeMs) {
      const t = mtimeMs >= 0 ? this.read('etc/passwd') : undefined;
      this.passwd = { mtimeMs, users: t === undefined ? new Map() : parsePasswd(t) };
    }
    return this.passwd.users;
  }
}
