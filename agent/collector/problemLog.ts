/**
 * The collector's failures, by kind: each is logged once when it starts and once when it
 * works again. A full disk fails every second, and a log repeating that every second would
 * eat what little space is left.
 */

export interface ProblemReport {
  message: string;
  /** When it started (collector clock, ms). */
  since: number;
  /** When it worked again; absent while it lasts. */
  until?: number;
}

export class ProblemLog {
  private readonly active = new Map<string, ProblemReport>();
  private latest: ProblemReport | undefined;

  constructor(private readonly log: (s: string) => void) {}

  fail(kind: string, message: string, now: number): void {
    const p = this.active.get(kind);
    if (p) {
      p.message = message; // the errno may change (ENOSPC, then EIO): the status says the latest
      return;
    }
    const fresh: ProblemReport = { message, since: now };
    this.active.set(kind, fresh);
    this.latest = fresh;
    this.log(message);
  }

  /** `what` names the kind in the recovery line ("recording works again"). */
  ok(kind: string, now: number, what = kind): void {
    const p = this.active.get(kind);
    if (!p) return;
    this.active.delete(kind);
    p.until = now;
    this.log(`${what} works again (it had failed since ${new Date(p.since).toISOString()})`);
  }

  failing(kind: string): boolean {
    return this.active.has(kind);
  }

  /** The newest problem still going on, else the last one that ended. */
  get last(): ProblemReport | undefined {
    let newest: ProblemReport | undefined;
    for (const p of this.active.values()) if (!newest || p.since > newest.since) newest = p;
    return newest ?? this.latest;
  }
}
