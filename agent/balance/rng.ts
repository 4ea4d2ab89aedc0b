/** Seeded pseudo-random numbers, so that tests, gossip peer choice and the simulator replay exactly. */

/** A source of uniform numbers in [0, 1): injected so that gossip and simulation replay. */
export type Rng = () => number;

/** mulberry32: tiny, fast and good enough for peer choice and workloads (not for secrets). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform pick from a non-empty list. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.min(items.length - 1, Math.floor(rng() * items.length))]!;
}

/** Exponentially distributed with the given mean (Poisson inter-arrival times). */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng());
}

/** Pareto (heavy-tailed) with minimum xm and shape alpha; alpha <= 2 has infinite variance. */
export function pareto(rng: Rng, xm: number, alpha: number): number {
  return xm / Math.pow(1 - rng(), 1 / alpha);
}
