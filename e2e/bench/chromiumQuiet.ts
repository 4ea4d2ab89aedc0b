/**
 * Waits until the bench's own Chromium has gone quiet. A new browser context's blank page
 * resolves before Chromium is done with it: its processes went on for some 0.4 s, at times on
 * both cores (2026-11-30, 16-node start-up bench), and a closed context kept its zygote busy
 * about as long. A measurement started then pays for Chromium opening or closing a window,
 * which is not what it measures (startup.ts counts neither, as it does not count the launch).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** User and system CPU time, ms. */
  cpuMs: number;
}

/** One /proc/PID/stat line (the command may hold spaces and parentheses: it ends at the last ')'). */
export function parseProcStat(line: string, ticksPerSecond = 100): ProcStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const f = line.slice(close + 2).split(' ');
  const pid = Number(line.slice(0, open).trim());
  const ppid = Number(f[1]);
  const ticks = Number(f[11]) + Number(f[12]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isFinite(ticks)) return undefined;
  return { pid, ppid, comm: line.slice(open + 1, close), cpuMs: (ticks * 1000) / ticksPerSecond };
}

/** The processes below `root` (not itself) whose command starts with "chrom". */
export function chromiumBelow(root: number, procs: readonly ProcStat[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcStat[] = [];
  const walk = (pid: number): void => {
    for (const c of children.get(pid) ?? []) {
      if (c.comm.startsWith('chrom')) out.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

/** CPU ms the processes used from `before` to `after`, over those alive in both (a process that ended took its time with it). */
export function cpuBetween(before: readonly ProcStat[], after: readonly ProcStat[]): number {
  const was = new Map(before.map((p) => [p.pid, p.cpuMs]));
  return after.reduce((sum, p) => sum + (was.has(p.pid) ? Math.max(0, p.cpuMs - was.get(p.pid)!) : 0), 0);
}

function readProcs(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const p = parseProcStat(readFileSync(`/proc/${d}/stat`, 'utf8'));
      if (p) out.push(p);
    } catch {
      // Ended while we looked.
    }
  }
  return out;
}

export interface QuietOptions {
  windowMs: number;
  /** At most this much CPU (ms, all of Chromium) in a window counts as quiet. */
  quietCpuMs: number;
  /** Quiet windows in a row. */
  windows: number;
  /** Gives up after this long: on a machine shared with other work Chromium may never look quiet. */
  maxMs: number;
}

export const DEFAULT_QUIET: QuietOptions = { windowMs: 100, quietCpuMs: 10, windows: 2, maxMs: 3000 };

/** Resolves once this process's Chromium used at most `quietCpuMs` in each of `windows` windows in a row; says how long that took and whether it got there. */
export async function chromiumQuiet(opts: QuietOptions = DEFAULT_QUIET, root = process.pid): Promise<{ waitedMs: number; quiet: boolean }> {
  const t0 = performance.now();
  let before = chromiumBelow(root, readProcs());
  let inRow = 0;
  while (performance.now() - t0 < opts.maxMs) {
    await new Promise((r) => setTimeout(r, opts.windowMs));
    const now = chromiumBelow(root, readProcs());
    inRow = cpuBetween(before, now) <= opts.quietCpuMs ? inRow + 1 : 0;
    before = now;
    if (inRow >= opts.windows) return { waitedMs: performance.now() - t0, quiet: true };
  }
  return { waitedMs: performance.now() - t0, quiet: false };
}
