import { describe, expect, it } from 'vitest';
import { mergeViews } from './mergeViews.js';
import { observedSource, reportedSource } from './viewSources.js';
import type { ViewNode } from '../../shared/balancing/types.js';
import type { NodeView } from '../../shared/domain/node.js';
import type { NodeSample } from '../../shared/domain/node.js';

const sample = (t: number, load: number): NodeSample => ({
  t, hostname: 'h', cpus: 1, demand: load, load, util: 0, mem: { totalKb: 1, freeKb: 1, availableKb: 1 }, speed: 10000, procCount: 1,
});

describe('mergeViews', () => {
  it('takes for each node the newest sample from any source', () => {
    const now = 10_000;
    const merged = mergeViews([
      { at: now, nodes: [{ id: 1, host: 'a', status: 'up', sample: sample(9000, 1) }] },
      { at: now - 500, nodes: [
        { id: 1, host: 'a', status: 'up', sample: sample(9500, 2) },
        { id: 2, host: 'b', status: 'up', sample: sample(9400, 3) },
      ] },
    ], now);
    expect(merged.map((n) => [n.id, n.status, n.sample?.load])).toEqual([[1, 'up', 2], [2, 'up', 3]]);
  });
  it('a newer "down" beats an older sample, a newer sample beats an older "down"', () => {
    const now = 10_000;
    const merged = mergeViews([
      { at: 9900, nodes: [{ id: 1, host: 'a', status: 'down' }, { id: 2, host: 'b', status: 'down' }] },
      { at: now, nodes: [{ id: 1, host: 'a', status: 'up', sample: sample(9800, 1) }, { id: 2, host: 'b', status: 'up', sample: sample(9950, 1) }] },
    ], now);
    expect(merged.map((n) => n.status)).toEqual(['down', 'up']);
  });
  it('a node whose newest sample is older than the stale limit is down', () => {
    const merged = mergeViews([{ at: 20_000, nodes: [{ id: 3, host: 'c', status: 'up', sample: sample(10_000, 1) }] }], 20_000, 5000);
    expect(merged).toEqual([{ id: 3, host: 'c', status: 'down' }]);
  });
  it('the exchange\'s silence about a node is as old as its last news: a GUI that saw the node a second ago wins', () => {
    // 64 nodes gossiping: the collector's node has not heard of node 9 for 40 s, so its exchange calls it down;
    // the GUI sampled it over SSH a second ago. The soak benchmark recorded such nodes as down though all were up.
    const now = 100_000;
    const silent: ViewNode = { node: 9, load: 0, cpus: 1, speed: 10000, util: 0, memTotalKb: 1, memAvailKb: 1, up: false, ageMs: 40_000, self: false } as ViewNode;
    const seen: NodeView = { id: 9, host: 'n9', status: 'up', sample: sample(now - 1000, 0.5) } as NodeView;
    const merged = mergeViews([reportedSource([silent], now, () => 'n9'), observedSource([seen], now - 1000)], now);
    expect(merged.map((n) => [n.id, n.status, n.sample?.load])).toEqual([[9, 'up', 0.5]]);
  });
  it('a node the exchange has not heard of lately and no GUI sees is still down', () => {
    const now = 100_000;
    const silent: ViewNode = { node: 9, load: 0, cpus: 1, speed: 10000, util: 0, memTotalKb: 1, memAvailKb: 1, up: false, ageMs: 40_000, self: false } as ViewNode;
    expect(mergeViews([reportedSource([silent], now, () => 'n9')], now).map((n) => n.status)).toEqual(['down']);
  });
});
