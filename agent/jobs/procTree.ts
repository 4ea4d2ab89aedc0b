/**
 * A job on this node is a process tree: its init (PID 1 of the job's own PID namespace)
 * and everything below it. Signals and nice values go to the whole tree, because the
 * init is a small shell that waits for the user's command.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { readSmallFile } from '../sampler/procfs.js';
import { parseStat, type PidStat } from '../sampler/procText.js';

export function readStat(pid: number): PidStat | undefined {
  const t = readSmallFile(`/proc/${pid}/stat`);
  return t === undefined ? undefined : parseStat(t);
}

/** True while `pid` is the same process that had `start` as its start time. */
export function sameProcess(pid: number | undefined, start: number | undefined): boolean {
  if (!pid) return false;
  const st = readStat(pid);
  return !!st && st.state !== 'Z' && (start === undefined || st.starttime === start);
}

function childrenOf(pid: number): number[] {
  // /proc/PID/task/TID/children lists the children each thread forked.
  const out: number[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const t = readSmallFile(`/proc/${pid}/task/${tid}/children`);
    if (t) for (const c of t.trim().split(/\s+/)) if (c) out.push(Number(c));
  }
  return out;
}

/** The root and all its descendants, root first. */
export function processTree(root: number): number[] {
  const seen = new Set<number>();
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    if (seen.has(p)) continue;
    seen.add(p);
    queue.push(...childrenOf(p));
  }
  return [...seen].filter((p) => p === root || readStat(p) !== undefined);
}

/** Descendants from a (pid, ppid) list, for the sampler's process list. */
export function descendantsIn(procs: readonly { pid: number; ppid: number }[], roots: Iterable<number>): Map<number, number> {
  const kids = new Map<number, number[]>();
  for (const p of procs) {
    const list = kids.get(p.ppid);
    if (list) list.push(p.pid);
    else kids.set(p.ppid, [p.pid]);
  }
  const owner = new Map<number, number>();
  for (const root of roots) {
    const queue = [root];
    while (queue.length) {
      const p = queue.pop()!;
      if (owner.has(p)) continue;
      owner.set(p, root);
      queue.push(...(kids.get(p) ?? []));
    }
  }
  return owner;
}

export function signalPids(pids: readonly number[], sig: NodeJS.Signals): number {
  let sent = 0;
  for (const p of pids) {
    try {
      process.kill(p, sig);
      sent++;
    } catch {
      /* exited meanwhile */
    }
  }
  return sent;
}

/** setpriority acts on one thread on Linux: every thread of every process gets it. */
export function renicePids(pids: readonly number[], nice: number): void {
  for (const p of pids) {
    let tids: string[] = [String(p)];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      /* gone, or no task dir: the PID alone */
    }
    for (const t of tids) {
      try {
        setPriority(Number(t), nice);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EACCES' || (e as { info?: { code?: string } }).info?.code === 'EACCES') {
          throw new Error(`not allowed to set nice ${nice} on process ${p}: only root may raise priority (negative nice)`);
        }
      }
    }
  }
}

/** All stopped (T) processes of a tree: used to make sure a resume really resumed. */
export function stoppedIn(pids: readonly number[]): number[] {
  return pids.filter((p) => readStat(p)?.state === 'T');
}

/**
 * Whose process it is, from the Uid line of /proc/PID/status (real, effective, saved, fs):
 * one uid when all four agree; a process whose uids differ (a setuid program) counts as
 * root's, so no user acts on it through the agent.
 */
export function uidFromStatus(status: string): number | undefined {
  const m = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status);
  if (!m) return undefined;
  const ids = m.slice(1, 5).map(Number);
  return ids.every((u) => u === ids[0]) ? ids[0] : 0;
}

export function processUid(pid: number): number | undefined {
  const t = readSmallFile(`/proc/${pid}/status`);
  return t === undefined ? undefined : uidFromStatus(t);
}
