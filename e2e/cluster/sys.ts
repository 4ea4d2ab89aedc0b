/** Thin wrappers over ip(8), /proc and /sys used by setup and teardown. */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly code: number | string | null,
    readonly stderr: string,
  ) {
    super(`${command}: ${stderr.trim() || `exit ${String(code)}`}`);
    this.name = 'CommandError';
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; rejects with its stderr so failures explain themselves. */
export function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
        reject(new CommandError([cmd, ...args].join(' '), code, stderr || err.message));
      } else resolve({ stdout, stderr });
    });
  });
}

/** Like run, but a failure is a value: teardown must go on past "already gone". */
export async function tryRun(cmd: string, args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  try {
    const r = await run(cmd, args);
    return { ok: true, out: r.stdout, err: r.stderr };
  } catch (e) {
    return { ok: false, out: '', err: e instanceof CommandError ? e.stderr : String(e) };
  }
}

export const ip = (...args: string[]): Promise<RunResult> => run('ip', args);

/** Network namespaces as `ip netns list` sees them (it reads this directory too). */
export function listNetns(): string[] {
  try {
    return readdirSync('/run/netns');
  } catch {
    return [];
  }
}

/** Interfaces of the root network namespace. */
export function listLinks(): string[] {
  try {
    return readdirSync('/sys/class/net');
  } catch {
    return [];
  }
}

/** Command line of a live process, '' for zombies, undefined when the PID is unused. */
export function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/**
 * True while the process exists and is not a zombie. Unlike cmdline this is stable
 * across execve: there /proc/PID/cmdline reads empty for a moment.
 */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export interface ProcInfo {
  pid: number;
  cmd: string;
}

/** Live (non-zombie) processes whose command line contains `needle`, never ourselves. */
export function findProcesses(needle: string): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const cmd = cmdlineOf(pid);
    if (cmd && cmd.includes(needle)) out.push({ pid, cmd });
  }
  return out;
}

/** PIDs (root namespace) of every process inside a network namespace. */
export async function netnsPids(ns: string): Promise<number[]> {
  const r = await tryRun('ip', ['netns', 'pids', ns]);
  if (!r.ok) return [];
  return r.out.split(/\s+/).filter(Boolean).map(Number).filter((p) => p !== process.pid);
}

export function kill9(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone: exactly what we wanted.
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` is true; returns false on timeout instead of throwing. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= end) return false;
    await sleep(stepMs);
  }
}

// --- IPv4 prefixes, for picking a subnet nobody routes yet ---

export function ipToInt(a: string): number {
  const b = a.split('.').map(Number);
  return (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
}

export function parsePrefix(cidr: string): { net: number; len: number } | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(cidr.trim());
  if (!m || m[1] === undefined) return undefined;
  return { net: ipToInt(m[1]), len: m[2] === undefined ? 32 : Number(m[2]) };
}

export function prefixesOverlap(a: { net: number; len: number }, b: { net: number; len: number }): boolean {
  const len = Math.min(a.len, b.len);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((a.net & mask) >>> 0) === ((b.net & mask) >>> 0);
}

/** Every IPv4 prefix in use: routes of all tables and interface addresses. Default routes are skipped. */
export async function usedPrefixes(): Promise<{ net: number; len: number }[]> {
  const out: { net: number; len: number }[] = [];
  const routes = JSON.parse((await ip('-j', '-4', 'route', 'show', 'table', 'all')).stdout || '[]') as { dst?: string }[];
  for (const r of routes) {
    if (!r.dst || r.dst === 'default') continue;
    const p = parsePrefix(r.dst);
    if (p) out.push(p);
  }
  const links = JSON.parse((await ip('-j', '-4', 'addr', 'show')).stdout || '[]') as {
    addr_info?: { local?: string; prefixlen?: number }[];
  }[];
  for (const l of links) {
    for (const a of l.addr_info ?? []) {
      if (a.local) out.push({ net: ipToInt(a.local), len: a.prefixlen ?? 32 });
    }
  }
  return out;
}
