/**
 * Reads the /proc (and /etc/passwd) files the sampler needs under a configurable root, so
 * tests can point it at a fixture tree; the texts are parsed by procText.ts.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCmdline, parsePasswd, parseSchedstat, parseStat, parseStatus, type PidStat, type PidStatus } from './procText.js';

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
