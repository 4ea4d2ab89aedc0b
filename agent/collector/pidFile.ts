/**
 * The collector's pid file: it keeps a second collector from starting, but a file left
 * by a collector killed with -9 (its process gone, or the PID now someone else's) does not.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True if `pid` runs and is a collector (a reused PID of another program does not count). */
export function isCollector(pid: number, readCmdline = (p: number) => readFileSync(`/proc/${p}/cmdline`, 'utf8')): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readCmdline(pid).split('\0').includes('mosixcollector');
  } catch {
    return false;
  }
}

/** The PID of the running collector, or undefined (a stale file is not a collector). */
export function runningCollector(file: string): number | undefined {
  const pid = readPid(file);
  return pid !== undefined && isCollector(pid) ? pid : undefined;
}

/**
 * Writes our PID with O_EXCL, so of two collectors starting at once only one wins.
 * Returns the other collector's PID when one runs.
 */
export function claimPidFile(file: string, pid = process.pid): { ok: true } | { ok: false; other: number } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return { ok: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const other = runningCollector(file);
      if (other !== undefined && other !== pid) return { ok: false, other };
      rmSync(file, { force: true }); // stale
    }
  }
  throw new Error(`cannot create ${file}: it keeps reappearing (another collector starting?)`);
}

/** Removes the pid file only if it is still ours. */
export function releasePidFile(file: string, pid = process.pid): void {
  if (readPid(file) === pid) rmSync(file, { force: true });
}
