import { describe, expect, it } from 'vitest';
import type { NodeSample, NodeView } from './domain/node.js';
import {
  balanceEfficiency,
  clusterEfficiency,
  loadPercent,
  memoryUsedPercent,
  normalisedLoad,
  smoothLoad,
} from './loadFigures.js';

function sample(over: Partial<NodeSample> = {}): NodeSample {
  return {
    t: 0,
    hostname: 'n',
    cpus: 1,
    demand: 0,
    load: 0,
    util: 0,
    mem: { totalKb: 1000, freeKb: 500, availableKb: 500 },
    speed: 10000,
    procCount: 0,
    ...over,
  };
}

function view(id: number, status: NodeView['status'], s?: NodeSample): NodeView {
  return { id, host: `n${id}`, status, ...(s ? { sample: s } : {}) };
}

describe('smoothLoad', () => {
  it('rises at once to a higher sample', () => {
    expect(smoothLoad(0, 4)).toBe(4);
    expect(smoothLoad(1.5, 2)).toBe(2);
    expect(smoothLoad(3, 3)).toBe(3);
  });

  it('falls as (7*old + new)/8', () => {
    expect(smoothLoad(8, 0)).toBe(7);
    expect(smoothLoad(4, 2)).toBe((7 * 4 + 2) / 8);
    // Repeated idle samples decay geometrically, never jumping to zero.
    let l = 8;
    for (let i = 0; i < 3; i++) l = smoothLoad(l, 0);
    expect(l).toBeCloseTo(8 * (7 / 8) ** 3, 12);
    expect(l).toBeGreaterThan(0);
  });
});

describe('loadPercent', () => {
  it('is exported load per CPU in %', () => {
    expect(loadPercent({ load: 1, cpus: 1 })).toBe(100);
    expect(loadPercent({ load: 2, cpus: 4 })).toBe(50);
    expect(loadPercent({ load: 6, cpus: 4 })).toBe(150);
  });
  it('is 0 with no CPUs', () => {
    expect(loadPercent({ load: 3, cpus: 0 })).toBe(0);
  });
});

describe('normalisedLoad', () => {
  it('divides by CPUs and scales to the standard speed 10000', () => {
    expect(normalisedLoad({ load: 2, cpus: 2, speed: 10000 })).toBe(1);
    expect(normalisedLoad({ load: 2, cpus: 1, speed: 20000 })).toBe(1); // twice as fast halves it
    expect(normalisedLoad({ load: 1, cpus: 1, speed: 5000 })).toBe(2);
  });
  it('is 0 for no CPUs or no speed', () => {
    expect(normalisedLoad({ load: 1, cpus: 0, speed: 10000 })).toBe(0);
    expect(normalisedLoad({ load: 1, cpus: 1, speed: 0 })).toBe(0);
  });
});

describe('memoryUsedPercent', () => {
  it('is (total - available) / total in %', () => {
    expect(memoryUsedPercent({ mem: { totalKb: 1000, freeKb: 100, availableKb: 250 } })).toBe(75);
    expect(memoryUsedPercent({ mem: { totalKb: 1000, freeKb: 0, availableKb: 1000 } })).toBe(0);
  });
  it('stays within 0..100 and is 0 with no total', () => {
    expect(memoryUsedPercent({ mem: { totalKb: 1000, freeKb: 0, availableKb: 2000 } })).toBe(0);
    expect(memoryUsedPercent({ mem: { totalKb: 1000, freeKb: 0, availableKb: -10 } })).toBe(100);
    expect(memoryUsedPercent({ mem: { totalKb: 0, freeKb: 0, availableKb: 0 } })).toBe(0);
  });
});

describe('balanceEfficiency', () => {
  const n = (load: number, cpus = 1) => ({ load, cpus });
  it('an idle cluster is balanced, however noisy its loads', () => {
    expect(balanceEfficiency([n(0), n(0), n(0)])).toBe(100);
    // What idle nodes of a busy machine show: a fraction of a task each, none waiting for a CPU.
    expect(balanceEfficiency([n(0.8), n(0.05), n(0.3), n(0.97)])).toBe(100);
    expect(balanceEfficiency([n(3)])).toBe(100);
  });
  it('is the share of the tasks that could have a CPU that have one', () => {
    // One hog among four nodes: nothing could do better.
    expect(balanceEfficiency([n(1), n(0), n(0), n(0)])).toBe(100);
    // Two hogs on one node: one of the two that could run, waits.
    expect(balanceEfficiency([n(2), n(0), n(0), n(0)])).toBe(50);
    expect(balanceEfficiency([n(8), n(0), n(0), n(0)])).toBe(25);
    // 3 and 2 jobs on two nodes: as good as whole jobs allow.
    expect(balanceEfficiency([n(3), n(2)])).toBe(100);
    // CPUs count: 3 tasks on 2 CPUs while a 1-CPU node idles: 2 of 3 run.
    expect(balanceEfficiency([n(3, 2), n(0)])).toBeCloseTo(200 / 3);
    expect(balanceEfficiency([n(2, 2), n(0)])).toBe(100);
    expect(balanceEfficiency([n(1.5), n(0.2)])).toBeCloseTo((100 * 1.2) / 1.7);
  });
  it('is undefined without nodes', () => {
    expect(balanceEfficiency([])).toBeUndefined();
  });
});

describe('clusterEfficiency', () => {
  it('uses the loads and CPUs of nodes that are up', () => {
    const nodes = [view(1, 'up', sample({ load: 2 })), view(2, 'up', sample({ load: 0.4, speed: 20000 }))];
    expect(clusterEfficiency(nodes)).toBeCloseTo((100 * 1.4) / 2);
  });

  it('ignores nodes that are down or connecting, and nodes without a sample', () => {
    // Two tasks on node 1: counted with the idle nodes 3 and 4 it would read 50%.
    const nodes = [
      view(1, 'up', sample({ load: 2 })),
      view(3, 'down', sample({ load: 0 })),
      view(4, 'connecting', sample({ load: 0 })),
      view(5, 'up'),
    ];
    expect(clusterEfficiency(nodes)).toBe(100);
  });

  it('is undefined when no node is up', () => {
    expect(clusterEfficiency([view(1, 'down', sample({ load: 2 })), view(2, 'connecting')])).toBeUndefined();
    expect(clusterEfficiency([])).toBeUndefined();
  });
});
