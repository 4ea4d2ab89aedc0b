// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { HistorySeries } from '../../shared/protocol/agentHistory.js';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { fakeBridge } from '../components/fakeBridge.test-util.js';
import { fakeHistoryAgent } from './fakeHistoryAgent.test-util.js';
import { plotWidth, REFRESH_MS, useSeries } from './useSeries.js';

const M = 60_000;
const T0 = 1_764_386_901_000;
const choice: CollectorChoice = { nodeId: 1, status: { host: 'n1', running: true, started: T0, last: T0 + 40 * M, dir: '/h', backups: [] } };
const settle = () => act(async () => { await vi.advanceTimersByTimeAsync(1); });

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  delete window.mosixviewEarly;
});

function setup() {
  const agent = fakeHistoryAgent(T0);
  for (let t = 0; t <= 40 * 60; t++) agent.h.seconds.push({ t: T0 + t * 1000, id: 1, load: t % 100 });
  const fb = fakeBridge({ 'history.series': agent.answer });
  const first = agent.answer({ recorded: true, buckets: plotWidth(), metrics: ['load'] });
  const render = () => renderHook(() => useSeries(fb.bridge, ['load'], { backup: undefined, view: { mode: 'recorded' }, refresh: true, collector: choice }));
  /** What boot.js leaves on the window (bridge/earlyStart.ts): its first request, on `buckets` columns. */
  const early = (answer: Promise<HistorySeries>, buckets = plotWidth(), value?: HistorySeries) => {
    window.mosixviewEarly = { bridge: fb.bridge, series: { buckets, metrics: ['load'], answer, ...(value ? { value } : {}) } };
  };
  return { fb, first, render, early };
}

describe('a history window\'s first read, asked by boot.js before app.js ran', () => {
  it('is taken when it comes, instead of asking again', async () => {
    const { fb, first, render, early } = setup();
    let answer!: (s: HistorySeries) => void;
    early(new Promise((r) => (answer = r)));
    const hook = render();
    await settle();
    expect(hook.result.current.series).toBeUndefined();
    await act(async () => answer(first));
    expect(hook.result.current.series).toBe(first);
    expect(hook.result.current.range).toEqual([T0, T0 + 40 * M]);
    await settle();
    expect(fb.calls('history.series')).toEqual([]);
    expect(window.mosixviewEarly!.series).toBeUndefined(); // taken once: a window opened again asks itself
  });

  it('is in the first render when it arrived before it', async () => {
    const { fb, first, render, early } = setup();
    early(Promise.resolve(first), plotWidth(), first);
    const hook = render();
    expect(hook.result.current.series).toBe(first);
    await settle();
    expect(fb.calls('history.series')).toEqual([]);
    // Refreshed as any window's first read: only what is new, REFRESH_MS later.
    await act(async () => { await vi.advanceTimersByTimeAsync(REFRESH_MS); });
    expect(fb.calls('history.series')).toEqual([{ from: first.from, to: first.to, buckets: first.buckets, since: first.next, metrics: ['load'] }]);
  });

  it('is not taken when the window asks for other columns (its width changed): it asks itself', async () => {
    const { fb, first, render, early } = setup();
    early(Promise.resolve(first), plotWidth() + 50, first);
    const hook = render();
    expect(hook.result.current.series).toBeUndefined();
    await settle();
    await settle();
    expect(fb.calls('history.series')).toEqual([{ recorded: true, buckets: plotWidth(), metrics: ['load'] }]);
    expect(hook.result.current.series).toBeDefined();
  });

  it('that failed: the window hears why', async () => {
    const { render, early } = setup();
    early(Promise.reject(new Error('the collector\'s node is down')));
    const hook = render();
    await settle();
    expect(hook.result.current.error).toBe('the collector\'s node is down');
  });
});
