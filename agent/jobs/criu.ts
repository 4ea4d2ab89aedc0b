/**
 * CRIU, run as a program: found via MOSIXVIEW_CRIU / config / PATH, version >= 4,
 * every call with a timeout, its log kept in the image directory, its errors turned
 * into sentences an admin can act on.
 *
 * Facts this relies on (checked with CRIU 4.1.1, see agent/jobs/README.md):
 * - dump --leave-stopped leaves the whole tree stopped: SIGCONT resumes it unchanged.
 * - restore -d: criu exits once the tree runs; the root is reparented to the node's init
 *   (or nearest subreaper). Without -d criu waits for the root but always exits 0, so it
 *   tells nothing about the job's exit status; the job's init writes that itself.
 * - A pages image cut short makes restore spin forever (its restorer re-reads 0 bytes):
 *   only the timeout ends it, and it must kill criu's children too.
 * - A root task with a parent-death signal (unshare --kill-child) dies as soon as
 *   `restore -d` exits; mosrun never sets one.
 */
import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import type { CriuFacts } from '../../shared/jobs/targetFacts.js';
import { processTree, signalPids } from './procTree.js';
import type { PagesSeen, StreamPageChannel } from './pageChannel.js';

export interface CriuResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export class CriuError extends Error {
  constructor(
    message: string,
    readonly log?: string,
  ) {
    super(message);
  }
}

export function locateCriu(configured?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (configured) return existsSync(configured) ? configured : undefined;
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const d of dirs) if (d && existsSync(join(d, 'criu'))) return join(d, 'criu');
  return undefined;
}

/**
 * CRIU_FAULT=130 is CRIU's FI_NO_BREAKPOINTS: compel then stops a task leaving its parasite
 * with PTRACE_SYSCALL instead of a hardware breakpoint. Some hypervisors do not virtualize
 * debug registers (seen on a Firecracker VM with kernel 6.18.44): the breakpoint never fires
 * and `criu dump` hangs for good after "new_sp=... ip ...". CRIU >= 4.2 checks this itself
 * (kerndat_breakpoints); older ones need the hint, and it costs nothing where breakpoints work.
 */
export function criuEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, CRIU_FAULT: env.CRIU_FAULT || '130' };
}

/** `withFd3`: CRIU gets a socket as fd 3 (its --ps-socket), handed to this callback. */
export function runCriu(criu: string, args: string[], timeoutMs: number, cwd?: string, withFd3?: (fd3: Duplex) => void): Promise<CriuResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(criu, args, { cwd, env: criuEnv(), stdio: withFd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'] });
    if (withFd3) withFd3(child.stdio[3] as Duplex);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The tasks criu is restoring are its children and run its restorer code: a damaged
      // image can leave them spinning after criu itself is gone, so the whole tree goes.
      signalPids(child.pid ? processTree(child.pid) : [], 'SIGKILL');
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => (stderr += `${e.message}\n`));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? null : code, stdout, stderr, timedOut, ms: Date.now() - t0 });
    });
  });
}

/** `criu check` complains about RLIMIT_NOFILE in containers; that line is noise. */
const NOISE = /rlimit: Can't setup RLIMIT_NOFILE/;

/** The lines that say what failed, from a criu log or its stderr. */
export function errorLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /Error|error:/.test(l) && !NOISE.test(l))
    .map((l) => l.replace(/^\(\d+\.\d+\)\s*(\d+:\s*)?/, '').trim());
}

/** Known CRIU failures, explained. The raw lines stay in the log for the expert. */
const EXPLAIN: [RegExp, (node: string) => string][] = [
  [/kerndat_tcp_repair|Network is unreachable/, (n) => `the loopback interface is down on ${n}: bring it up (ip link set lo up)`],
  [/session leader of .* is outside of its pid namespace/, () => 'the process is not its own session leader: only jobs started with mosrun can be checkpointed'],
  [/has bad size/, () => "the job's files changed after the checkpoint (it ran on after it): take a new checkpoint"],
  [/Can't fork for \d+: File exists/, (n) => `a process ID the job needs is taken on ${n}`],
  [/Unexpected rt vDSO area bounds|vdso/i, (n) => `CRIU on ${n} does not understand this kernel: install CRIU >= 4`],
  [/No space left on device/, (n) => `the disk for checkpoint images on ${n} is full`],
  // prlimit(2) on a process of another uid needs CAP_SYS_RESOURCE (a container may drop it).
  [/Can't get rlimit/, (n) => `CRIU on ${n} may not read the limits of a job of another user: the agent lacks CAP_SYS_RESOURCE; run it as root with every capability (systemd: no CapabilityBoundingSet that drops it)`],
  [/Permission denied|Operation not permitted/, (n) => `CRIU on ${n} lacks privileges: the agent must run as root (or CRIU needs CAP_CHECKPOINT_RESTORE)`],
  [/No such file or directory/, (n) => `a file the job uses is missing on ${n}`],
  [/magic doesn't match|Unable to (open|read).*\.img|Corrupted|unexpected EOF|bad magic|Can't read/i, () => 'the checkpoint image is damaged or incomplete'],
  [/Connected TCP socket|TCP connection/, () => 'the job has a TCP connection, which cannot move'],
];

export function explainCriu(what: string, node: string, r: CriuResult, log: string): string {
  if (r.timedOut) return `${what} on ${node} did not finish in ${Math.round(r.ms / 1000)} s and was stopped`;
  const lines = [...errorLines(log), ...errorLines(r.stderr)];
  const all = lines.join('\n');
  const known = EXPLAIN.find(([re]) => re.test(all));
  const first = lines[0] ?? (r.stderr.trim().split('\n').pop() || `exit code ${r.code}`);
  return known ? `${what} failed on ${node}: ${known[1](node)} (criu: ${first})` : `${what} failed on ${node}: ${first}`;
}

export function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Version, basic `criu check`, and whether incremental pre-dump works on this kernel. */
export async function probeCriu(path: string | undefined, timeoutMs = 20_000): Promise<CriuFacts> {
  if (!path) return { preDump: false };
  const v = await runCriu(path, ['--version'], timeoutMs);
  const version = /Version:\s*(\S+)/.exec(v.stdout)?.[1];
  if (v.code !== 0 || !version) {
    return { path, preDump: false, problem: (v.stderr.trim().split('\n').pop() || `exit ${v.code}`).slice(0, 300) };
  }
  const major = Number(version.split('.')[0]);
  if (major < 4) return { path, version, preDump: false };
  const check = await runCriu(path, ['check'], timeoutMs);
  const problem = check.code === 0 ? undefined : errorLines(check.stderr + check.stdout)[0] ?? `criu check failed (exit ${check.code})`;
  // Pre-dump copies only pages dirtied since the last pass: needs the kernel's soft-dirty bits.
  const dirty = await runCriu(path, ['check', '--feature', 'mem_dirty_track'], timeoutMs);
  const facts: CriuFacts = { path, version, preDump: dirty.code === 0 };
  return problem ? { ...facts, problem } : facts;
}

/** Options common to dump and restore: a job lands in the target's cgroups, not the source's. */
const COMMON = ['--manage-cgroups=ignore', '-v4']; // the mode is an optional argument: it needs the '='

export interface DumpOptions {
  pid: number;
  dir: string;
  /** A previous pre-dump of the same job: only pages changed since then are written. */
  prevDir?: string;
  /** Memory only, the job keeps running (an iteration before the final dump). */
  pre?: boolean;
  /** The memory pages go to the target's page server through this channel, not to -D. */
  pages?: StreamPageChannel;
  timeoutMs: number;
  node: string;
}

export async function dump(criu: string, o: DumpOptions): Promise<CriuResult & { pages?: PagesSeen }> {
  const args = [o.pre ? 'pre-dump' : 'dump', '-t', String(o.pid), '-D', o.dir, '-o', o.pre ? 'pre-dump.log' : 'dump.log', ...COMMON];
  if (!o.pre) args.push('--leave-stopped');
  if (o.pre || o.prevDir) args.push('--track-mem');
  // CRIU takes the previous images' path relative to -D.
  if (o.prevDir) args.push('--prev-images-dir', relative(o.dir, o.prevDir));
  if (o.pages) args.push('--page-server', '--ps-socket', '3');
  let seen: Promise<PagesSeen> | undefined;
  const r = await runCriu(criu, args, o.timeoutMs, undefined, o.pages ? (fd3) => (seen = o.pages!.bridge(fd3, 'send')) : undefined);
  if (r.code !== 0) {
    o.pages?.close();
    const log = readLog(join(o.dir, o.pre ? 'pre-dump.log' : 'dump.log'));
    throw new CriuError(explainCriu(o.pre ? 'Pre-copy of the job' : 'Checkpoint of the job', o.node, r, log), log);
  }
  return seen ? { ...r, pages: await seen } : r;
}

/**
 * The target's end of a page channel: `criu page-server --ps-socket 3` writes the pages that
 * arrive into `dir` (pagemap and pages images) and ends when the source's dump says so.
 */
export async function pageServer(criu: string, dir: string, pages: StreamPageChannel, timeoutMs: number, node: string, prevDir?: string): Promise<CriuResult & { pages: PagesSeen }> {
  const args = ['page-server', '-D', dir, '-o', 'page-server.log', '--ps-socket', '3', ...COMMON];
  if (prevDir) args.push('--prev-images-dir', relative(dir, prevDir));
  let seen: Promise<PagesSeen> | undefined;
  const r = await runCriu(criu, args, timeoutMs, undefined, (fd3) => (seen = pages.bridge(fd3, 'receive')));
  if (r.code !== 0) {
    pages.close();
    const log = readLog(join(dir, 'page-server.log'));
    throw new CriuError(explainCriu('Receiving the job\'s memory', node, r, log), log);
  }
  return { ...r, pages: await seen! };
}

/** Restores the tree stopped and detached; returns the root's PID in this node's namespace. */
export async function restore(criu: string, dir: string, timeoutMs: number, node: string): Promise<{ pid: number; ms: number }> {
  const pidfile = join(dir, 'restored.pid');
  const args = ['restore', '-D', dir, '-o', 'restore.log', '-d', '--leave-stopped', '--pidfile', pidfile, ...COMMON];
  const r = await runCriu(criu, args, timeoutMs);
  const log = readLog(join(dir, 'restore.log'));
  if (r.code !== 0) throw new CriuError(explainCriu('Restore of the job', node, r, log), log);
  const pid = Number(readLog(pidfile).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new CriuError(`Restore of the job on ${node} reported success but left no PID in ${pidfile}`, log);
  return { pid, ms: r.ms };
}
