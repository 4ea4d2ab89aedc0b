/**
 * Who moved the jobs that arrive here. A sending balancer announces its move first (peer
 * balance.arriving); a job whose arrival nobody announced was moved by the admin (migrate,
 * the migrator, expel, bring), whose placement is held longer (docs/LOAD-MODEL.md, section 4).
 */
import type { MovedBy } from '../../shared/balancing/gain.js';

/** An announcement marks the job's next arrival within this long as the balancer's. */
export const ARRIVAL_WINDOW_MS = 5 * 60_000;

export class Arrivals {
  private readonly announced = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  /** Another node's balancer is about to send `job` here. */
  expect(job: string): void {
    const now = this.clock();
    for (const [k, at] of this.announced) if (now - at > ARRIVAL_WINDOW_MS) this.announced.delete(k);
    this.announced.set(job, now);
  }

  /** Who made the move that brought `job` here at `at` (this node's clock). */
  movedBy(job: string, at: number): MovedBy {
    const a = this.announced.get(job);
    return a !== undefined && a <= at && at - a <= ARRIVAL_WINDOW_MS ? 'balancer' : 'admin';
  }
}
