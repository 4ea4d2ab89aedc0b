import { describe, expect, it } from 'vitest';
import { freezeMs, simulate } from './engine.js';
import { capacity, lowerBound, slowdown, type Workload } from './model.js';
import { burst, heterogeneous, SHAPES } from './workloads.js';

const GB = 1024 * 1024;

describe('model', () => {
  it('lower bound: max(total work / total capacity, latest arrival + work on the fastest core)', () => {
    const nodes = [
      { id: 1, speed: 10000, cpus: 2, memTotalKb: GB },
      { id: 2, speed: 20000, cpus: 1, memTotalKb: GB },
    ];
    expect(capacity(nodes[0]!)).toBe(2);
    expect(capacity(nodes[1]!)).toBe(2);
    const jobs = (works: number[], arrivals = works.map(() => 0)) => works.map((work, i) => ({ id: i, home: 1, arrival: arrivals[i]!, work, memKb: 0 }));
    expect(lowerBound({ nodes, jobs: jobs([100, 100, 100, 100]) })).toBe(100);
    expect(lowerBound({ nodes, jobs: jobs([400, 10]) })).toBe(200);
    expect(lowerBound({ nodes, jobs: jobs([10, 40], [5, 50]) })).toBe(45 + 20);
  });
  it('slowdown is turnaround over the run time on a free standard CPU', () => {
    expect(slowdown({ arrival: 10, finish: 40, work: 10 })).toBe(3);
    expect(slowdown({ arrival: 0, finish: 5, work: 10 })).toBe(0.5);
  });
  it('freeze grows with memory', () => {
    expect(freezeMs(0, { freezeFixedMs: 100, migrationKbPerS: 1024 })).toBe(100);
    expect(freezeMs(2048, { freezeFixedMs: 100, migrationKbPerS: 1024 })).toBe(2100);
  });
});

describe('engine', () => {
  const one = (speed: number, cpus: number, works: number[]): Workload => ({
    name: 't',
    description: '',
    nodes: [{ id: 1, speed, cpus, memTotalKb: GB }],
    jobs: works.map((work, i) => ({ id: i + 1, home: 1, arrival: 0, work, memKb: 0 })),
  });
  it('work progresses at speed / STANDARD_SPEED per CPU share', () => {
    expect(simulate(one(20000, 1, [10]), 'none', 1).makespan).toBeCloseTo(5, 6);
    expect(simulate(one(10000, 1, [10, 10]), 'none', 1).makespan).toBeCloseTo(20, 6);
    expect(simulate(one(10000, 2, [10, 10]), 'none', 1).makespan).toBeCloseTo(10, 6);
    expect(simulate(one(10000, 2, [10, 10, 10]), 'none', 1).makespan).toBeCloseTo(15, 6);
  });
  it('the same seed gives the same result (balancing is the policy that draws random numbers)', () => {
    for (const shape of SHAPES) expect(simulate(shape(3), 'balance', 3)).toEqual(simulate(shape(3), 'balance', 3));
    expect(simulate(burst(3), 'balance', 3)).not.toEqual(simulate(burst(3), 'balance', 4));
  });
  it('never beats the lower bound; balancing beats no migration on a burst', () => {
    for (const shape of SHAPES) {
      for (const seed of [1]) {
        for (const policy of ['balance', 'none', 'roundrobin'] as const) {
          const r = simulate(shape(seed), policy, seed);
          expect(r.complete).toBe(true);
          expect(r.makespan).toBeGreaterThanOrEqual(r.lowerBound - 1e-6);
        }
      }
    }
    const w = burst(5);
    const bal = simulate(w, 'balance', 5);
    const none = simulate(w, 'none', 5);
    expect(bal.makespan).toBeLessThan(none.makespan / 2);
    expect(bal.meanSlowdown).toBeLessThan(none.meanSlowdown / 2);
    expect(bal.migrations).toBeGreaterThan(0);
  });
  it('8 jobs started on node 1 spread to at most 3 per node within 30 s', () => {
    let spreadAt: number | undefined;
    simulate(burst(1), 'balance', 1, { observe: (t, per) => void (spreadAt ??= Math.max(...per.values()) <= 3 ? t : undefined) });
    expect(spreadAt).toBeDefined();
    expect(spreadAt!).toBeLessThanOrEqual(30_000);
  });
  it('block keeps guests off a node; stay keeps jobs home', () => {
    const seen = new Map<number, number>();
    simulate(burst(1), 'balance', 1, { flags: { 3: { block: true } }, observe: (_t, per) => per.forEach((n, id) => seen.set(id, Math.max(seen.get(id) ?? 0, n))) });
    expect(seen.get(3)).toBe(0);
    expect(seen.get(2)).toBeGreaterThan(0);
    const stay = simulate(burst(1), 'balance', 1, { flags: { 1: { stay: true } } });
    expect(stay.migrations).toBe(0);
  });
  it('a node twice as fast ends up with more jobs', () => {
    const w = heterogeneous(1);
    w.nodes = w.nodes.map((n) => ({ ...n, cpus: 1 }));
    let at20s: ReadonlyMap<number, number> | undefined;
    simulate(w, 'balance', 1, { observe: (t, per) => void (t === 20_000 && (at20s = per)) });
    const fast = at20s!.get(4)!;
    for (const id of [2, 3]) expect(fast).toBeGreaterThan(at20s!.get(id)!);
  });
});
