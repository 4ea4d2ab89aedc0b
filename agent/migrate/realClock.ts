/** The machine's clock and timers behind the protocol's Clock. */
import type { Clock } from './ports.js';

export const realClock: Clock = {
  now: Date.now,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  timer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
