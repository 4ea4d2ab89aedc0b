/**
 * When the collector's next second is due. A record is stamped with the time it is taken and
 * read back by its second. Node's setInterval schedules each run from the previous run's
 * (late) start, so its phase drifts later by every run's lateness, and each time the phase
 * crosses a whole second that second gets no record (the 10-minute soak of 64 nodes found one
 * such second on a quiet machine, six on a loaded one). A tick at a fixed offset after each
 * wall-clock second cannot drift: however late one run is, the next is due at the next second.
 */

/** Past the whole second: long enough for a late timer, short enough for the record to stay in its second. */
export const TICK_OFFSET_MS = 100;

/** Milliseconds from `nowMs` until the next tick (1 to 1000). */
export function msToNextTick(nowMs: number, offsetMs = TICK_OFFSET_MS): number {
  const into = (((nowMs - offsetMs) % 1000) + 1000) % 1000;
  return 1000 - into;
}
