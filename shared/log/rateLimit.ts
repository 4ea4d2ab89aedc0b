/**
 * Keeps one error repeating every second from filling the log: the same message is logged at
 * most `limit` times per window (a minute); once the window is over, what was held back is
 * said once, "... repeated K times".
 */
export const RATE_LIMIT = 10;
export const RATE_WINDOW_MS = 60_000;

interface Window {
  start: number;
  shown: number;
  held: number;
  message: string;
}

export class RateLimit {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit = RATE_LIMIT,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  /**
   * Lines to log now for this message: the summary of an earlier window of it that has ended,
   * then the message itself unless it is held back.
   */
  admit(key: string, message: string, now: number): string[] {
    const out: string[] = [];
    let w = this.windows.get(key);
    if (w && now - w.start >= this.windowMs) {
      if (w.held) out.push(summary(w));
      w = undefined;
    }
    if (!w) {
      w = { start: now, shown: 0, held: 0, message };
      this.windows.set(key, w);
    }
    if (w.shown < this.limit) {
      w.shown++;
      out.push(message);
    } else w.held++;
    return out;
  }

  /** Summaries of the windows that have ended (called now and then, so a burst that stops is still counted). */
  flush(now: number): string[] {
    const out: string[] = [];
    for (const [key, w] of this.windows) {
      if (now - w.start < this.windowMs) continue;
      if (w.held) out.push(summary(w));
      this.windows.delete(key);
    }
    return out;
  }
}

function summary(w: Window): string {
  const first = w.message.split('\n')[0];
  return `${first} ... repeated ${w.held} times`;
}
