import { describe, expect, it } from 'vitest';
import { msToNextTick, TICK_OFFSET_MS } from './tickClock.js';

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** The seconds a loop of ticks stamps its records with, each run late by up to `lateMs`. */
function stampedSeconds(next: (startedAt: number) => number, ticks: number, lateMs: number, seed: number): number[] {
  const late = random(seed);
  let t = 1_000_000_950; // started just before a whole second
  const seconds: number[] = [];
  for (let i = 0; i < ticks; i++) {
    t = next(t) + late() * lateMs; // the timer fires, late
    seconds.push(Math.floor((t + 5) / 1000)); // the record is stamped a few ms into the run
  }
  return seconds;
}

const missing = (seconds: number[]): number => {
  let gaps = 0;
  for (let i = 1; i < seconds.length; i++) gaps += Math.max(0, seconds[i]! - seconds[i - 1]! - 1);
  return gaps;
};

describe('the collector tick clock', () => {
  it('is due a fixed offset after the next whole second', () => {
    expect(msToNextTick(5000)).toBe(TICK_OFFSET_MS);
    expect(msToNextTick(5000 + TICK_OFFSET_MS)).toBe(1000);
    expect(msToNextTick(5000 + TICK_OFFSET_MS + 1)).toBe(999);
    expect(msToNextTick(5950)).toBe(150);
  });

  it('stamps every second exactly once over an hour of late timers; an interval counted from each late run does not', () => {
    for (const seed of [1, 2, 3]) {
      const aligned = stampedSeconds((t) => t + msToNextTick(t), 3600, 40, seed);
      expect(new Set(aligned).size).toBe(aligned.length);
      expect(missing(aligned)).toBe(0);
      // What setInterval does: the next run 1000 ms after this one started (late).
      const interval = stampedSeconds((t) => t + 1000, 3600, 40, seed);
      expect(missing(interval)).toBeGreaterThan(0);
    }
  });
});
