/**
 * One process's logger: log.error/warn/info(message), each entry formatted for where it goes
 * (logFormat.ts) and repeats rate-limited (rateLimit.ts). A failing write never throws. The
 * agent (agent/log/log.ts) and the GUI's main process (electron/core/log.ts) each make one.
 */
import { formatEntry, type Level } from './logFormat.js';
import { RateLimit, RATE_WINDOW_MS } from './rateLimit.js';

export interface LogTarget {
  tag: string;
  /** Lines carry syslog priorities (stderr is the journal) instead of timestamps. */
  journal: boolean;
  write(text: string): void;
  now(): number;
}

export class Logger {
  private limit = new RateLimit();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private target: LogTarget,
    private readonly targetFor: (tag: string, logFile?: string) => LogTarget = () => target,
  ) {}

  /** Where entries go from now on; `logFile`: the process's log file. */
  configure(tag: string, logFile?: string): void {
    this.setTarget(this.targetFor(tag, logFile));
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

