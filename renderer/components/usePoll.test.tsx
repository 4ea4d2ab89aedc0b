// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { usePoll } from './usePoll.js';

/** A load whose answers the test gives, one per call, in order. */
function controlledLoad() {
  const pending: ((n: number) => void)[] = [];
  const load = vi.fn(() => new Promise<number>((resolve) => pending.push(resolve)));
  const answer = async (n: number) => {
    await act(async () => pending.shift()!(n));
  };
  return { load, answer, pending };
}

const tick = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('usePoll', () => {
  it('asks at once, then the interval after each answer, never twice at once', async () => {
    vi.useFakeTimers();
    const { load, answer } = controlledLoad();
    const { result } = renderHook(() => usePoll(load, 1000, []));
    expect(load).toHaveBeenCalledTimes(1);
    await tick(5000);
    expect(load).toHaveBeenCalledTimes(1);
    await answer(7);
    expect(result.current.data).toBe(7);
    await tick(999);
    expect(load).toHaveBeenCalledTimes(1);
    await tick(1);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('refresh during a call asks once more right after it, and resolves with that answer', async () => {
    vi.useFakeTimers();
    const { load, answer } = controlledLoad();
    const { result } = renderHook(() => usePoll(load, 60_000, []));
    let refreshed = false;
    void result.current.refresh().then(() => (refreshed = true));
    void result.current.refresh();
    expect(load).toHaveBeenCalledTimes(1);
    await answer(1);
    expect(load).toHaveBeenCalledTimes(2);
    expect(refreshed).toBe(false);
    await answer(2);
    expect(refreshed).toBe(true);
    expect(result.current.data).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('without an interval asks once per change of its deps', async () => {
    vi.useFakeTimers();
    const { load, answer } = controlledLoad();
    const { rerender } = renderHook(({ k }) => usePoll(load, undefined, [k]), { initialProps: { k: 1 } });
    await answer(1);
    await tick(600_000);
    expect(load).toHaveBeenCalledTimes(1);
    rerender({ k: 2 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('asks nothing while disabled, keeps its data, and asks at once when enabled again', async () => {
    vi.useFakeTimers();
    const { load, answer } = controlledLoad();
    const { result, rerender } = renderHook(({ on }) => usePoll(load, 1000, [], { enabled: on }), { initialProps: { on: true } });
    await answer(1);
    rerender({ on: false });
    await tick(10_000);
    expect(load).toHaveBeenCalledTimes(1);
    expect(result.current.data).toBe(1);
    rerender({ on: true });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('a failure keeps the last data and says why; set() replaces the data', async () => {
    vi.useFakeTimers();
    let fail = false;
    const { result } = renderHook(() => usePoll(() => (fail ? Promise.reject(new Error('node 2 is down')) : Promise.resolve(5)), 1000, []));
    await tick(0);
    expect(result.current.data).toBe(5);
    fail = true;
    await tick(1000);
    expect(result.current).toMatchObject({ data: 5, error: 'node 2 is down' });
    act(() => result.current.set(9));
    expect(result.current.data).toBe(9);
  });
});
