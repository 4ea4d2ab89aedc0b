/**
 * The agent's logger (one per process: the daemon, the collector): log.error/warn/info(message).
 * Entries go to the journal with priorities when stderr is the journal, else to stderr with a
 * timestamp; when stderr is the process's own log file (the daemon started by `attach`, the
 * collector started by `mosixcollector`), entries are appended to that file by name instead, so
 * it can be rotated. Repeats are rate-limited (rateLimit.ts). A failing write never throws.
 */
import { fstatSync, statSync } from 'node:fs';
import { formatEntry, isJournalStream, type Level } from './logFormat.js';
import { RateLimit, RATE_WINDOW_MS } from './rateLimit.js';
import { LogFile } from './logFile.js';

export interface LogTarget {
  tag: string;
  journal: boolean;
  /** The process's log file, when stderr is it. */
  file?: LogFile;
  write(text: string): void;
  now(): number;
}

function stderrId(): { dev: number; ino: number } | undefined {
  try {
    return fstatSync(2);
  } catch {
    return undefined;
  }
}

/** Whether stderr is this file (same device and inode). */
function stderrIs(path: string): boolean {
  try {
    const a = fstatSync(2);
    const b = statSync(path);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

function defaultTarget(tag: string, logFile?: string): LogTarget {
  const journal = isJournalStream(process.env.JOURNAL_STREAM, stderrId());
  const file = !journal && logFile && stderrIs(logFile) ? new LogFile(logFile) : undefined;
  return {
    tag, journal, ...(file ? { file } : {}),
    write: (text) => (file ? file.append(text) : process.stderr.write(text)),
    now: Date.now,
  };
}

export class Logger {
  private limit = new RateLimit();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private target: LogTarget) {}

  /** Where entries go from now on; `logFile`: the process's log file, used when stderr is it. */
  configure(tag: string, logFile?: string): void {
    this.setTarget(defaultTarget(tag, logFile));
  }

  /** For tests: entries go to `target`, and the rate limit starts afresh. */
  setTarget(target: LogTarget): void {
    this.target = target;
    this.limit = new RateLimit();
  }

  error(message: string): void {
    this.entry('error', message);
  }

  warn(message: string): void {
    this.entry('warn', message);
  }

  info(message: string): void {
    this.entry('info', message);
  }

  /** Says what the rate limit held back in windows that have ended. */
  flush(): void {
    for (const s of this.limit.flush(this.target.now())) this.emit('warn', s);
  }

  private entry(level: Level, message: string): void {
    for (const line of this.limit.admit(`${level} ${message}`, message, this.target.now())) this.emit(level, line);
    // A burst that stops is summed up within a window or two; the timer never keeps Node alive.
    if (!this.timer) {
      this.timer = setInterval(() => this.flush(), RATE_WINDOW_MS);
      this.timer.unref();
    }
  }

  private emit(level: Level, message: string): void {
    const t = this.target;
    try {
      t.write(formatEntry(level, message, { journal: t.journal, tag: t.tag, now: new Date(t.now()) }));
    } catch {
      /* a full disk must not stop the daemon; the next entry tries again */
    }
  }
}

export const log = new Logger(defaultTarget('mosixview-agent'));
