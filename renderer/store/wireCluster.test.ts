// @vitest-environment jsdom
/** Node views gathered and applied together: when the flushes run, and what they apply. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeView } from '../../shared/domain/node.js';
import { fakeBridge } from '../components/fakeBridge.test-util.js';
import { clusterActions, useCluster } from './clusterStore.js';
import { nextFrame, wireClusterEvents } from './wireCluster.js';

const up = (id: number, load: number): NodeView => ({ id, host: `n${id}`, status: 'up', sample: { t: 1, hostname: `n${id}`, cpus: 4, demand: load, load, util: 0, mem: { totalKb: 1, freeKb: 1, availableKb: 1 }, speed: 10000, procCount: 1 } });

beforeEach(() => clusterActions.reset());
afterEach(() => vi.useRealTimers());

describe('nextFrame', () => {
  it("runs in the next animation frame, never inside the message's own task, each call once", () => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame'] });
    const runs: string[] = [];
    nextFrame(() => runs.push('a'));
    nextFrame(() => runs.push('b'));
    expect(runs).toEqual([]);
    vi.advanceTimersToNextFrame();
    expect(runs).toEqual(['a', 'b']);
    vi.advanceTimersToNextFrame();
    expect(runs).toEqual(['a', 'b']);
  });
});

describe('wireClusterEvents', () => {
  it('asks for one flush per batch of events; the flush applies every waiting node, the latest view of each, in one store update', () => {
    const fb = fakeBridge({});
    const flushes: (() => void)[] = [];
    wireClusterEvents(fb.bridge, (run) => flushes.push(run));
    clusterActions.applySnapshot({ name: 'c', source: 'profile', nodes: [up(1, 0), up(2, 0), up(3, 0)], hostKeyPrompts: [] });

    fb.emit('cluster.views', { views: [up(1, 1), up(2, 1)] });
    fb.emit('cluster.views', { views: [up(1, 3), up(9, 1)] }); // 9: not a node of this window
    expect(flushes).toHaveLength(1);
    expect(useCluster.getState().nodes[1]!.sample!.load).toBe(0); // nothing before the flush

    let updates = 0;
    const off = useCluster.subscribe(() => updates++);
    flushes.shift()!();
    off();
    expect(updates).toBe(1);
    const { nodes } = useCluster.getState();
    expect([nodes[1]!.sample!.load, nodes[2]!.sample!.load, nodes[3]!.sample!.load]).toEqual([3, 1, 0]);
    expect(nodes[9]).toBeUndefined();

    fb.emit('cluster.views', { views: [] });
    expect(flushes).toHaveLength(0); // nothing to apply, no frame asked for
    fb.emit('cluster.views', { views: [up(3, 2)] });
    expect(flushes).toHaveLength(1); // the next batch asks again
  });

  it('paused (Autorefresh off), a flush applies nothing', () => {
    const fb = fakeBridge({});
    const flushes: (() => void)[] = [];
    wireClusterEvents(fb.bridge, (run) => flushes.push(run));
    clusterActions.applySnapshot({ name: 'c', source: 'profile', nodes: [up(1, 0)], hostKeyPrompts: [] });
    clusterActions.pause();
    fb.emit('cluster.views', { views: [up(1, 5)] });
    flushes.shift()!();
    expect(useCluster.getState().nodes[1]!.sample!.load).toBe(0);
  });
});
