/**
 * The simulator's unmovable background work (model.ts, SimNoise): per node, bursts of
 * runnable processes that share the CPUs with the jobs, and sampling blips that only the
 * sampled demand sees. Each node draws from its own seeded stream, so runs replay.
 */
import { exponential, seededRng } from '../rng.js';
import type { Rng } from '../types.js';
import type { SimNoise } from './model.js';

export class NodeNoise {
  private readonly rng: Rng;
  private readonly bursty: boolean;
  private tasks = 0;
  private until = 0;
  private nextAt = Infinity;

  constructor(
    private readonly noise: SimNoise | undefined,
    node: number,
    seed: number,
  ) {
    this.rng = seededRng((seed * 15485863 + node * 32452843 + 1) >>> 0);
    this.bursty = !!noise && noise.meanGapS > 0 && noise.burstNodes.includes(node);
    if (this.bursty) this.nextAt = Math.round(1000 * exponential(this.rng, noise!.meanGapS));
  }

  /** Runnable background processes over [now, now + step). */
  runnable(now: number): number {
    if (!this.bursty) return 0;
    if (now >= this.until) this.tasks = 0;
    if (now >= this.nextAt) {
      const n = this.noise!;
      const len = n.burstS[0] + (n.burstS[1] - n.burstS[0]) * this.rng();
      this.tasks = n.tasks[0] + Math.floor((n.tasks[1] - n.tasks[0] + 1) * this.rng());
      this.until = now + Math.round(1000 * len);
      this.nextAt = this.until + Math.round(1000 * exponential(this.rng, n.meanGapS));
    }
    return this.tasks;
  }

  /** One more process runnable at this sampling instant, or none. */
  blip(): number {
    return this.noise && this.noise.blip > 0 && this.rng() < this.noise.blip ? 1 : 0;
  }
}
