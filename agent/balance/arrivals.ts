/**
 * Who moved the jobs that arrive here. A sending balancer announces its move first (peer
 * balance.arriving); a job whose arrival nobody announced was moved by the admin (migrate,
 * the migrator, expel, bring), whose placement is held longer (docs/LOAD-MODEL.md, section 4).
 */
import type { MovedBy } from '../../shared/balancing/gain.js';

/** An announcement marks the job's next arrival within this long as the balancer's. */
export const ARRIVAL_WINDOW_MS = 5 * 60_000;

interface Announcement {
  at: number;
  /** The arrival it covered, once seen: an announcement covers one arrival only. */
  arrival?: number;
}

export class Arrivals {
  private readonly announced = new Map<string, Announcement>();

  constructor(private readonly clock: () => number) {}

  /** Another node's balancer is about to send `job` here. */
  expect(job: string): void {
    const now = this.clock();
    for (const [k, a] of this.announced) if (now - a.at > ARRIVAL_WINDOW_MS) this.announced.delete(k);
    this.announced.set(job, { at: now });
  }

  /** Who made the move that brought `job` here at `at` (this node's clock). */
  movedBy(job: string, at: number): MovedBy {
    const a = this.announced.get(job);
    if (!a || a.at > at || at - a.at > ARRIVAL_WINDOW_MS) return 'admin';
    // The first arrival after the announcement is the balancer's; a later one (the admin
    // moved the job away and back) is not.
    a.arrival ??= at;
    return a.arrival === at ? 'balancer' : 'admin';
  }
}
