import { describe, expect, it } from 'vitest';
import { observedSource, reportedSource } from './viewSources.js';
import { mergeViews } from './mergeViews.js';
import type { ViewNode } from '../../shared/balancing/types.js';
import type { NodeView } from '../../shared/domain/node.js';

const vn = (node: number, over: Partial<ViewNode> = {}): ViewNode => ({
  node, load: 1.5, speed: 20000, cpus: 4, memAvailKb: 3000, memTotalKb: 8000, memFreeKb: 1000, util: 40, t: 5e12, seq: 9, up: true, ageMs: 700, self: false, ...over,
});
const hosts: Record<number, string> = { 1: 'n1', 2: 'n2', 3: 'n3' };

describe('view sources', () => {
  it('the load exchange tells about the other nodes, timed by this node\'s clock whatever theirs says', () => {
    const now = 1_000_000;
    const src = reportedSource([vn(1, { self: true, ageMs: 0 }), vn(2, { t: 1 }), vn(3, { up: false })], now, (id) => hosts[id]);
    expect(src.nodes).toEqual([
      { id: 2, host: 'n2', status: 'up', sample: { t: now - 700, load: 1.5, cpus: 4, speed: 20000, util: 40, mem: { totalKb: 8000, availableKb: 3000, freeKb: 1000 } } },
      { id: 3, host: 'n3', status: 'down', at: now - 700 }, // down from silence since its last news
    ]);
    // Merged as the collector does: a node 2 hours behind in clock is still up.
    expect(mergeViews([src], now).map((n) => [n.id, n.status])).toEqual([[2, 'up'], [3, 'down']]);
  });
  it('carries the rates of the load exchange and of a GUI\'s rows, and leaves out rates that are not figures (not the row)', () => {
    const io = { diskReadBps: 1024, diskWriteBps: 0, netRxBps: 45_000, netTxBps: 12_000 };
    expect(reportedSource([vn(2, { io })], 10, () => 'x').nodes[0]!.sample!.io).toEqual(io);
    const row = (rates: unknown): NodeView => ({
      id: 1, host: 'a', status: 'up', sample: { t: 5, hostname: 'a', cpus: 2, demand: 1, load: 1, util: 50, mem: { totalKb: 4, freeKb: 1, availableKb: 2 }, speed: 10000, procCount: 3, io: rates as never },
    });
    expect(observedSource([row(io)], 1).nodes[0]!.sample!.io).toEqual(io);
    const bad = observedSource([row({ netRxBps: -5 }), row('fast')], 1).nodes;
    expect(bad.map((n) => [n.status, n.sample?.io])).toEqual([['up', undefined], ['up', undefined]]);
  });
  it('without rmem in an entry (an older agent), free memory falls back to available', () => {
    const src = reportedSource([vn(2, { memFreeKb: undefined })], 10, () => 'x');
    expect(src.nodes[0]!.sample!.mem.freeKb).toBe(3000);
  });
  it('a GUI\'s rows count as of their arrival, not by the nodes\' clocks', () => {
    const at = 2_000_000;
    const rows: NodeView[] = [
      { id: 1, host: 'a', status: 'up', sample: { t: 5, hostname: 'a', cpus: 2, demand: 1, load: 1, util: 50, mem: { totalKb: 4, freeKb: 1, availableKb: 2 }, speed: 10000, procCount: 3 } },
      { id: 2, host: 'b', status: 'down', reason: 'link cut' },
    ];
    const src = observedSource(rows, at);
    expect(src.nodes[0]).toEqual({ id: 1, host: 'a', status: 'up', sample: { t: at, load: 1, cpus: 2, speed: 10000, util: 50, mem: { totalKb: 4, freeKb: 1, availableKb: 2 } } });
    expect(src.nodes[1]).toEqual({ id: 2, host: 'b', status: 'down' });
    expect(mergeViews([src], at + 1000).map((n) => n.status)).toEqual(['up', 'down']);
  });
});
