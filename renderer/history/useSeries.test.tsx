// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { fakeBridge } from '../components/fakeBridge.test-util.js';
import { fakeHistoryAgent } from './fakeHistoryAgent.test-util.js';
import { plotWidth, REFRESH_MS, useSeries, type SeriesQuery } from './useSeries.js';
import type { View } from './chart/viewRange.js';

const M = 60_000;
const T0 = 1_764_386_901_000;
const choice = (last: number, started = T0): CollectorChoice => ({ nodeId: 1, status: { host: 'n1', running: true, started, last, dir: '/h', backups: [] } });
const settle = () => act(async () => { await vi.advanceTimersByTimeAsync(1); });

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setup(minutes: number) {
  const agent = fakeHistoryAgent(T0);
  const addUpTo = (s: number) => {
    for (let t = agent.h.seconds.length; t <= s; t++) agent.h.seconds.push({ t: T0 + t * 1000, id: 1, load: t % 100 });
  };
  addUpTo(minutes * 60);
  const fb = fakeBridge({ 'history.series': agent.answer });
  const hook = renderHook((q: SeriesQuery) => useSeries(fb.bridge, ['load'], q), {
    initialProps: { backup: undefined, view: { mode: 'recorded' }, refresh: true, collector: choice(T0 + minutes * M) } as SeriesQuery,
  });
  return { agent, addUpTo, fb, hook };
}

describe('the data of a history window', () => {
  it('opens on the recorded range in one request, on round columns about a pixel wide', async () => {
    const { fb, hook } = setup(40);
    await settle();
    await settle();
    expect(hook.result.current.range).toEqual([T0, T0 + 40 * M]);
    expect(fb.calls('history.series')).toEqual([{ recorded: true, buckets: plotWidth(), metrics: ['load'] }]);
    const s = hook.result.current.series!;
    const step = (s.to - s.from) / s.buckets;
    expect(step).toBe(5000); // 40 minutes on ~900 pixels
    expect(s.from % step).toBe(0);
    expect(s.nodes[0]!.series.load!.stats.samples).toBe(40 * 60 + 1);
  });

  it('refreshes every 2 s with only what is new, on the same columns, and the range follows the data', async () => {
    const { fb, hook, addUpTo } = setup(40);
    await settle();
    const first = hook.result.current.series!;
    addUpTo(40 * 60 + 7);
    await act(async () => { await vi.advanceTimersByTimeAsync(REFRESH_MS); });
    await settle();
    const calls = fb.calls('history.series');
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ from: first.from, to: first.to, buckets: first.buckets, since: first.next });
    const now = hook.result.current;
    expect(now.series!.nodes[0]!.series.load!.stats.samples).toBe(40 * 60 + 8);
    expect(now.series!.last).toBe(T0 + (40 * 60 + 7) * 1000);
    expect(now.range).toEqual([T0, T0 + (40 * 60 + 7) * 1000]);
    // Still the same grid: the next refresh continues it, no whole read.
    await act(async () => { await vi.advanceTimersByTimeAsync(REFRESH_MS); });
    expect(fb.calls('history.series')[2]!.since).toBe(now.series!.next);
  });

  it('refreshes Memory history the same way: the refresh asks for the new columns alone, and gets only those', async () => {
    const agent = fakeHistoryAgent(T0);
    for (let t = 0; t <= 40 * 60; t++) agent.h.seconds.push({ t: T0 + t * 1000, id: 1, load: 0, mem: 1000 + t });
    const answered: number[] = [];
    const fb = fakeBridge({ 'history.series': (req) => {
      const a = agent.answer(req);
      answered.push(a.nodes[0]!.series.mem!.max.length);
      return a;
    } });
    const metrics = ['mem', 'rmem', 'tmem'] as const;
    const hook = renderHook(() => useSeries(fb.bridge, [...metrics], { backup: undefined, view: { mode: 'recorded' }, refresh: true, collector: choice(T0 + 40 * M) }));
    await settle();
    const first = hook.result.current.series!;
    const step = (first.to - first.from) / first.buckets;
    for (let t = 40 * 60 + 1; t <= 40 * 60 + 12; t++) agent.h.seconds.push({ t: T0 + t * 1000, id: 1, load: 0, mem: 1000 + t });
    await act(async () => { await vi.advanceTimersByTimeAsync(REFRESH_MS); });
    await settle();
    const [open, refresh] = fb.calls('history.series');
    expect(open).toMatchObject({ recorded: true, metrics });
    expect(refresh).toEqual({ from: first.from, to: first.to, buckets: first.buckets, since: first.next, metrics });
    // From the column holding the last answer's last record to the one holding the new last record: 12 s on 5 s columns.
    const newColumns = Math.floor((T0 + (40 * 60 + 12) * 1000 - first.next) / step) + 1;
    expect(newColumns).toBe(3);
    expect(answered).toEqual([Math.floor((first.next - first.from) / step) + 1, newColumns]);
    const mem = hook.result.current.series!.nodes[0]!.series.mem!;
    expect(mem.stats.samples).toBe(40 * 60 + 13);
    expect(mem.stats.peak).toBe(1000 + 40 * 60 + 12);
  });

  it('reads a zoomed range whole, on finer columns, and keeps drawing the old ones meanwhile', async () => {
    const { fb, hook } = setup(40);
    await settle();
    const old = hook.result.current.series!;
    const zoom: View = { mode: 'zoom', from: T0 + 10 * M, to: T0 + 12 * M };
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const answer = fb.invoke.getMockImplementation()!;
    fb.invoke.mockImplementationOnce(async (c, r) => { await gate; return answer(c, r); });
    hook.rerender({ backup: undefined, view: zoom, refresh: true, collector: choice(T0 + 40 * M) });
    await settle();
    expect(hook.result.current.range).toEqual([T0 + 10 * M, T0 + 12 * M]);
    expect(hook.result.current.series).toBe(old); // the old columns, drawn on the new range meanwhile
    const req = fb.calls('history.series')[1]!;
    expect((req.to! - req.from!) / req.buckets).toBe(1000);
    release();
    await settle();
    expect(hook.result.current.series!.from).toBe(req.from);
  });

  it('reads at once, without waiting to learn the collector\'s node, and afresh when it changes', async () => {
    const { fb, agent } = setup(5);
    const q = (collector: CollectorChoice | undefined): SeriesQuery => ({ backup: undefined, view: { mode: 'recorded' }, refresh: true, collector });
    const calls = () => fb.calls('history.series').length;
    const before = calls();
    const other = renderHook((x: SeriesQuery) => useSeries(fb.bridge, ['load'], x), { initialProps: q(undefined) });
    await settle();
    expect(calls()).toBe(before + 1);
    other.rerender(q(choice(T0 + 5 * M)));
    await settle();
    expect(calls()).toBe(before + 1);
    agent.h.seconds = [{ t: T0 + 1000, id: 7, load: 1 }];
    other.rerender(q({ ...choice(T0 + 5 * M), nodeId: 2 }));
    await settle();
    await settle();
    expect(calls()).toBe(before + 2);
    expect(fb.calls('history.series').at(-1)!.recorded).toBe(true);
    expect(other.result.current.series!.nodes.map((n) => n.id)).toEqual([7]);
  });

  it('reads a rotated history whole from its new start', async () => {
    const { fb, hook, agent } = setup(5);
    await settle();
    agent.h.started = T0 + 6 * M;
    agent.h.seconds = [{ t: T0 + 6 * M + 1000, id: 2, load: 10 }];
    await act(async () => { await vi.advanceTimersByTimeAsync(REFRESH_MS); });
    await settle();
    await settle();
    const calls = fb.calls('history.series');
    expect(calls[1]!.since).toBeDefined();
    expect(calls[2]!.since).toBeUndefined();
    expect(calls[2]!.from).toBeLessThanOrEqual(T0 + 6 * M);
    expect(hook.result.current.series!.started).toBe(T0 + 6 * M);
    expect(hook.result.current.series!.nodes.map((n) => n.id)).toEqual([2]);
  });

  it('opens a backup on its recorded range in one request, and does not refresh it', async () => {
    const { fb, hook } = setup(30);
    hook.rerender({ backup: 'mosixview-20261129-032821', view: { mode: 'recorded' }, refresh: true, collector: choice(T0 + 30 * M) });
    await settle();
    await settle();
    expect(fb.calls('history.series').filter((c) => c.backup)).toEqual([{ backup: 'mosixview-20261129-032821', recorded: true, buckets: plotWidth(), metrics: ['load'] }]);
    expect(hook.result.current.range).toEqual([T0, T0 + 30 * M]);
    // A backup does not grow: no refresh.
    const n = fb.calls('history.series').length;
    await act(async () => { await vi.advanceTimersByTimeAsync(3 * REFRESH_MS); });
    expect(fb.calls('history.series')).toHaveLength(n);
  });
});
