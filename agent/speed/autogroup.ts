/**
 * The speed check process's autogroup priority. With autogroups (sched(7),
 * /proc/sys/kernel/sched_autogroup_enabled, on in most distributions) the scheduler first
 * shares the CPUs between sessions, each alike, and a thread's nice only counts within its
 * session: a check at nice 19 in the daemon's session did not yield to anything outside it, so
 * 16 daemons started at once calibrated at the full weight of 16 sessions while the GUI, the
 * browser and every other node waited. The check runs in a session of its own (speedWorker.ts),
 * whose group nice (/proc/self/autogroup) is the knob across sessions; only a process that
 * leads its session changes it, so that a group shared with anything else is left alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** The files a process's autogroup is read and set through; a seam for tests. */
export interface AutogroupFiles {
  pid: number;
  stat(): string | undefined;
  readAutogroup(): string | undefined;
  writeAutogroup(nice: number): void;
  sleep(ms: number): void;
}

const readOrUndefined = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

export const PROC_SELF: AutogroupFiles = {
  pid: process.pid,
  stat: () => readOrUndefined('/proc/self/stat'),
  readAutogroup: () => readOrUndefined('/proc/self/autogroup'),
  writeAutogroup: (nice) => writeFileSync('/proc/self/autogroup', `${nice}\n`),
  sleep: (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms),
};

/** "/autogroup-123 nice 0" -> 0. */
export function parseAutogroupNice(text: string): number | undefined {
  const m = /^\/autogroup-\d+ nice (-?\d+)\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Field 6 (session) of /proc/[pid]/stat; comm (field 2) may hold spaces and parentheses. */
export function sessionOfStat(text: string): number | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const sid = Number(text.slice(close + 2).split(' ')[3]);
  return Number.isInteger(sid) ? sid : undefined;
}

/** The same files of another process of this user (the daemon's view of a check it started). */
export function procOf(pid: number): AutogroupFiles {
  return {
    pid,
    stat: () => readOrUndefined(`/proc/${pid}/stat`),
    readAutogroup: () => readOrUndefined(`/proc/${pid}/autogroup`),
    writeAutogroup: (nice) => writeFileSync(`/proc/${pid}/autogroup`, `${nice}\n`),
    sleep: PROC_SELF.sleep,
  };
}

/**
 * Sets this process's session autogroup to nice 19 where the group is its own; true when it
 * did. The kernel takes one change of any autogroup per tenth of a second from processes
 * without CAP_SYS_ADMIN (EAGAIN): checks started together take turns, `tries` times each.
 */
export function lowerOwnAutogroup(files: AutogroupFiles = PROC_SELF, tries = 5): boolean {
  const stat = files.stat();
  const text = files.readAutogroup();
  const nice = text === undefined ? undefined : parseAutogroupNice(text);
  if (stat === undefined || sessionOfStat(stat) !== files.pid || nice === undefined || nice >= 19) return false;
  for (let i = 0; i < tries; i++) {
    try {
      files.writeAutogroup(19);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return false;
      if (i + 1 < tries) files.sleep(120);
    }
  }
  return false;
}

/**
 * The daemon lowers a check it just started (spawned detached: its own session, set before
 * its exec), so that the check's Node.js boots at nice 19 too, not only its measurement:
 * 16 checks starting as their nodes came up booted at the weight of 16 sessions while the
 * last nodes of a cold start were still coming up. One try, no wait: where the kernel says
 * EAGAIN (or anything else) the check lowers its own group as before.
 */
export function lowerStartedAutogroup(pid: number, files: AutogroupFiles = procOf(pid)): boolean {
  return lowerOwnAutogroup(files, 1);
}
