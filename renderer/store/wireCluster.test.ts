// @vitest-environment jsdom
/** Node views gathered and applied together: when the flushes run, and what they apply. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeView } from '../../shared/domain/node.js';
import { fakeBridge } from '../components/fakeBridge.test-util.js';
import { clusterActions, useCluster } from './clusterStore.js';
import { throttledFrames, VIEW_FLUSH_MS, wireClusterEvents } from './wireCluster.js';

const up = (id: number, load: number): NodeView => ({ id, host: `n${id}`, status: 'up', sample: { t: 1, hostname: `n${id}`, cpus: 4, demand: load, load, util: 0, mem: { totalKb: 1, freeKb: 1, availableKb: 1 }, speed: 10000, procCount: 1 } });

beforeEach(() => clusterActions.reset());
afterEach(() => vi.useRealTimers());

describe('throttledFrames', () => {
  it('runs in the next frame, then no sooner than the gap after the last run', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame', 'Date'] });
    const schedule = throttledFrames(VIEW_FLUSH_MS, () => Date.now());
    const runs: number[] = [];
    const t0 = Date.now();
    schedule(() => runs.push(Date.now() - t0));
    expect(runs).toEqual([]); // never inside the message's own task
    vi.advanceTimersByTime(20);
    expect(runs).toHaveLength(1);
    const first = runs[0]!;

    schedule(() => runs.push(Date.now() - t0));
    vi.advanceTimersByTime(VIEW_FLUSH_MS - 30);
    expect(runs).toHaveLength(1);
    vi.advanceTimersByTime(60);
    expect(runs).toHaveLength(2);
    expect(runs[1]! - first).toBeGreaterThanOrEqual(VIEW_FLUSH_MS);

    // After a quiet spell longer than the gap: the next frame again.
    vi.advanceTimersByTime(2 * VIEW_FLUSH_MS);
    const quiet = Date.now() - t0;
    schedule(() => runs.push(Date.now() - t0));
    vi.advanceTimersByTime(20);
    expect(runs).toHaveLength(3);
    expect(runs[2]! - quiet).toBeLessThanOrEqual(20);
  });
});

describe('throttledFrames, soon', () => {
  it('a run asked soon goes in the next frame, also one already waiting for its gap', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'Date'] });
    const schedule = throttledFrames(VIEW_FLUSH_MS, () => Date.now());
    const runs: number[] = [];
    const t0 = Date.now();
    const run = () => runs.push(Date.now() - t0);
    schedule(run);
    vi.advanceTimersByTime(20);
    expect(runs).toHaveLength(1);

    schedule(run, true); // right after a run: no gap waited for
    vi.advanceTimersByTime(20);
    expect(runs).toHaveLength(2);

    schedule(run); // waits for its gap...
    vi.advanceTimersByTime(40);
    expect(runs).toHaveLength(2);
    schedule(run, true); // ...until a lamp changes: the waiting run goes in the next frame, once
    vi.advanceTimersByTime(20);
    expect(runs).toHaveLength(3);
    vi.advanceTimersByTime(2 * VIEW_FLUSH_MS);
    expect(runs).toHaveLength(3);
  });
});

describe('wireClusterEvents', () => {
  it('a view that changes a node\'s status asks for its flush soon; figures alone do not', () => {
    const fb = fakeBridge({});
    const asked: boolean[] = [];
    wireClusterEvents(fb.bridge, (_run, soon = false) => asked.push(soon));
    clusterActions.applySnapshot({ name: 'c', source: 'profile', nodes: [up(1, 0), { id: 2, host: 'n2', status: 'connecting' }], hostKeyPrompts: [] });
    fb.emit('cluster.views', { views: [up(1, 1)] });
    expect(asked).toEqual([false]);
    fb.emit('cluster.views', { views: [up(1, 2)] }); // waiting already, nothing new for the lamps
    expect(asked).toEqual([false]);
    fb.emit('cluster.views', { views: [up(2, 1)] }); // node 2 comes up
    expect(asked).toEqual([false, true]);
    fb.emit('cluster.views', { views: [up(2, 2), up(9, 1)] }); // node 2 is up in the waiting views already; 9 is no node here
    expect(asked).toEqual([false, true]);
  });

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
