/**
 * Reads the /proc (and /etc/passwd) files the sampler needs under a configurable root, so
 * tests can point it at a fixture tree; the texts are parsed by procText.ts.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { parseCmdline, parsePasswd, parseSchedstat, parseStat, parseStatus, type PidStat, type PidStatus } from './procText.js';

// One buffer for every read: the sampler reads thousands of small files per sample.
let shared = Buffer.allocUnsafe(16 * 1024);

/** The file opened for reading, or undefined when it cannot be (gone, not permitted). */
function openForRead(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch {
    return undefined;
  }
}

/**
 * Read a small file with open + read + close (readFileSync adds an fstat and an extra
 * read). A short read is taken as the end: /proc generates these files in one go, so a
 * read that does not fill the buffer has returned everything there is.
 */
export function readSmallFile(path: string, maxBytes = 1 << 20): string | undefined {
  const fd = openForRead(path);
  if (fd === undefined) return undefined;
  try {
    return readWhole(fd, maxBytes, null);
  } catch {
    return undefined; // e.g. ESRCH: the process exited between open and read
  } finally {
    closeSync(fd);
  }
}

/** The file's text up to maxBytes, read at `from` (null: the fd's position, 0: the start). Throws on a read error. */
function readWhole(fd: number, maxBytes: number, from: 0 | null): string {
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
    const n = readSync(fd, shared, len, want, from === null ? null : from + len);
    len += n;
    if (n < want) break;
  }
  return shared.toString('utf8', 0, len);
}

/**
 * Filesystems whose files the kernel writes afresh at every read from offset 0 and which are
 * never replaced under an open descriptor (a removed one fails to read: ENODEV): proc, sysfs,
 * cgroup v1 and v2 (statfs(2) f_type).
 */
const PSEUDO_FS = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270]);

function onPseudoFs(path: string): boolean {
  try {
    // statfsSync came with Node 18.15: an older Node opens the file at each read, as before.
    return typeof fs.statfsSync === 'function' && PSEUDO_FS.has(fs.statfsSync(path).type);
  } catch {
    return false;
  }
}

/**
 * Files read at every sample (meminfo, the I/O counters, the agent's own status and its cgroup's
 * limits): a pseudo-file stays open and is read again from offset 0, which costs one pread
 * instead of open + read + close; a missing one is looked for without the exception a failed
 * open throws. Any other file (a test's fixture tree) is opened at each read.
 */
export class KeptFiles {
  private readonly open = new Map<string, number>();

  read(path: string, maxBytes = 1 << 20): string | undefined {
    const kept = this.open.get(path);
    if (kept !== undefined) {
      try {
        return readWhole(kept, maxBytes, 0);
      } catch {
        // Removed (a cgroup that went away, a controller turned off): look for it afresh.
        this.forget(path);
      }
    }
    if (!existsSync(path)) return undefined;
    if (!onPseudoFs(path)) return readSmallFile(path, maxBytes);
    const fd = openForRead(path);
    if (fd === undefined) return undefined;
    try {
      const text = readWhole(fd, maxBytes, 0);
      this.open.set(path, fd);
      return text;
    } catch {
      closeSync(fd);
      return undefined;
    }
  }

  /** How many files are held open (tests). */
  get size(): number {
    return this.open.size;
  }

  close(): void {
    for (const path of [...this.open.keys()]) this.forget(path);
  }

  private forget(path: string): void {
    const fd = this.open.get(path);
    this.open.delete(path);
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already gone */
      }
    }
  }
}

/** Reads the files above under `root` ('/' on a real node, a temp dir in tests). */
export class ProcReader {
  private passwd?: { mtimeMs: number; users: Map<number, string> };
  private readonly kept = new KeptFiles();

  constructor(readonly root = '/') {}

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  read(rel: string, maxBytes?: number): string | undefined {
    return readSmallFile(this.path(rel), maxBytes);
  }

  /** Like read(), for a file read at every sample whatever the processes: see KeptFiles. */
  readEverySample(rel: string, maxBytes?: number): string | undefined {
    return this.kept.read(this.path(rel), maxBytes);
  }

  /** Whether the directory (or file) is there; false rather than an exception. */
  exists(rel: string): boolean {
    return existsSync(this.path(rel));
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

  /** The agent's own ('self', read every sample) or a process's status. */
  status(pid: number | 'self'): PidStatus | undefined {
    const t = pid === 'self' ? this.readEverySample('proc/self/status') : this.read(`proc/${pid}/status`);
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
