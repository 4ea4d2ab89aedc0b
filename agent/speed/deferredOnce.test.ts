/** Work that runs once: when asked for, or after a delay at the latest. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferredOnce } from './deferredOnce.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('deferredOnce', () => {
  it('runs once when asked for, and not again at the deadline or when asked again', () => {
    let runs = 0;
    const d = deferredOnce(() => runs++, 20000);
    expect(runs).toBe(0);
    d.now();
    d.now();
    vi.advanceTimersByTime(30000);
    expect(runs).toBe(1);
  });

  it('runs at the deadline when nobody asked', () => {
    let runs = 0;
    deferredOnce(() => runs++, 20000);
    vi.advanceTimersByTime(19999);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(1);
  });

  it('never runs once cancelled', () => {
    let runs = 0;
    const d = deferredOnce(() => runs++, 20000);
    d.cancel();
    d.now();
    vi.advanceTimersByTime(30000);
    expect(runs).toBe(0);
  });
});
