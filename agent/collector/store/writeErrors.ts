/**
 * What a failed write of the history means to an admin: the errno, the directory, and
 * what to do about it. A full disk or a read-only remount is an everyday event on a
 * cluster node; a stack trace is not the way to report it.
 */
import { dirname } from 'node:path';

type Advice = (dir: string) => string;

const ADVICE: Record<string, Advice> = {
  ENOSPC: (d) => `the disk is full: free space on it (old backups are the mosixview-* directories in ${dirname(d)})`,
  EDQUOT: (d) => `the disk quota is used up: free space or raise the quota (old backups are the mosixview-* directories in ${dirname(d)})`,
  EROFS: () => 'it is on a read-only file system: remount it read-write, or point MOSIXVIEW_STATE_DIR at a writable directory',
  EACCES: () => 'no permission to write there: run the collector as the user who owns it, or fix its permissions (or point MOSIXVIEW_STATE_DIR elsewhere)',
  EPERM: () => 'no permission to write there: run the collector as the user who owns it, or fix its permissions (or point MOSIXVIEW_STATE_DIR elsewhere)',
  EBUSY: () => 'it is in use (a mount point, or open on a system that locks files): free it',
  EIO: () => 'the disk reports an I/O error: check it (dmesg, smartctl)',
  ENOTDIR: () => 'part of that path is a file, not a directory: move the file away, or point MOSIXVIEW_STATE_DIR elsewhere',
  EMFILE: () => 'too many open files: raise the limit (ulimit -n)',
  ENFILE: () => 'the system has too many open files: close some, or raise fs.file-max',
};

/** "cannot write the history in DIR (ERRNO): what it means: what to do". */
export function describeWriteError(e: unknown, dir: string, what = 'write the history'): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const advice = code ? ADVICE[code] : undefined;
  if (advice) return `cannot ${what} in ${dir} (${code}): ${advice(dir)}`;
  return `cannot ${what} in ${dir}: ${(e as Error)?.message ?? String(e)}`;
}

/** A write of the history that failed, described (the message) and with its errno (`code`). */
export class HistoryWriteError extends Error {
  readonly code: string | undefined;

  constructor(readonly dir: string, cause: unknown, what?: string) {
    super(describeWriteError(cause, dir, what));
    this.name = 'HistoryWriteError';
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}
