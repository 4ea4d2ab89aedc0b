import { describe, expect, it } from 'vitest';
import { clearJobLoad, decayFactor, decayStep, halfLifeIntervals, isCpuCandidate, newJobLoad, observeJob, setJobMode, usageSample, type JobLoadState, type JobMode } from './jobLoad.js';
import { DEFAULT_DECAY } from '../../shared/balancing/types.js';

const busy = (s: number) => ({ cpuS: s, runnableS: s, elapsedS: s });
const idle = (s: number) => ({ cpuS: 0, runnableS: 0, elapsedS: s });

function run(mode: JobMode, steps: { cpuS: number; runnableS: number; elapsedS: number }[]): JobLoadState {
  return steps.reduce((s, u) => observeJob(s, u), newJobLoad(mode));
}

describe('decay factors', () => {
  it('slow 975/1000, fast 926/1000, nodecay 1; setdecay values are honoured', () => {
    expect(decayFactor('slowdecay')).toBe(0.975);
    expect(decayFactor('cpujob')).toBe(0.975);
    expect(decayFactor('iojob')).toBe(0.975);
    expect(decayFactor('fastdecay')).toBe(0.926);
    expect(decayFactor('nodecay')).toBe(1);
    expect(decayFactor('fastdecay', { intervalS: 2, slow: 990, fast: 800 })).toBe(0.8);
  });
  it('one step keeps d of the old average and 1-d of the sample', () => {
    expect(decayStep(1, 0, 0.975)).toBeCloseTo(0.975, 12);
    expect(decayStep(0, 1, 0.926)).toBeCloseTo(0.074, 12);
    expect(decayStep(0.5, 0.5, 0.9)).toBeCloseTo(0.5, 12);
  });
  it('half-lives: about 27.4 intervals slow, 9.0 fast', () => {
    expect(halfLifeIntervals(0.975)).toBeCloseTo(27.38, 1);
    expect(halfLifeIntervals(0.926)).toBeCloseTo(8.99, 1);
    expect(halfLifeIntervals(1)).toBe(Infinity);
  });
});

describe('per-job load', () => {
  it('the first interval sets the load; later intervals decay towards the sample', () => {
    let s = observeJob(newJobLoad(), busy(1));
    expect(s.primed).toBe(true);
    expect(s.load).toBe(1);
    s = observeJob(s, idle(1));
    expect(s.load).toBeCloseTo(0.975, 12);
    s = observeJob(s, idle(1));
    expect(s.load).toBeCloseTo(0.975 ** 2, 12);
  });
  it('fastdecay forgets faster than slowdecay', () => {
    const slow = run('slowdecay', [busy(1), idle(10)]);
    const fast = run('fastdecay', [busy(1), idle(10)]);
    expect(slow.load).toBeCloseTo(0.975 ** 10, 9);
    expect(fast.load).toBeCloseTo(0.926 ** 10, 9);
  });
  it('steps only on whole intervals, accumulating short observations', () => {
    let s = newJobLoad();
    for (let i = 0; i < 9; i++) s = observeJob(s, busy(0.1));
    expect(s.primed).toBe(false);
    s = observeJob(s, busy(0.1));
    expect(s.primed).toBe(true);
    expect(s.load).toBeCloseTo(1, 12);
    expect(s.pendingS).toBeCloseTo(0, 9);
  });
  it('k intervals observed at once apply d^k', () => {
    const s = observeJob(observeJob(newJobLoad(), busy(1)), idle(3));
    expect(s.load).toBeCloseTo(0.975 ** 3, 12);
  });
  it('honours the decay interval of setdecay', () => {
    const p = { ...DEFAULT_DECAY, intervalS: 2 };
    let s = observeJob(newJobLoad(), busy(1), p);
    expect(s.primed).toBe(false);
    s = observeJob(s, busy(1), p);
    expect(s.load).toBe(1);
  });
  it('a runnable job sharing a CPU counts as one task, not by its CPU share', () => {
    expect(usageSample('slowdecay', 0.25, 1, 1)).toBe(1);
    expect(usageSample('slowdecay', 0.3, 0.1, 1)).toBeCloseTo(0.3);
  });
  it('cpujob counts fully even while it waits on I/O', () => {
    expect(usageSample('cpujob', 0, 0, 1)).toBe(1);
    expect(run('cpujob', [idle(1), idle(5)]).load).toBe(1);
    expect(usageSample('cpujob', 2, 2, 1)).toBe(2);
  });
  it('nodecay keeps its first statistics', () => {
    const s = run('nodecay', [busy(1), idle(20)]);
    expect(s.load).toBe(1);
  });
  it('iojob is never a CPU-balancing candidate; the others are', () => {
    expect(isCpuCandidate('iojob')).toBe(false);
    for (const m of ['cpujob', 'nodecay', 'slowdecay', 'fastdecay'] as const) expect(isCpuCandidate(m)).toBe(true);
  });
  it('clear forgets; changing mode keeps the figure', () => {
    const s = run('slowdecay', [busy(1)]);
    expect(clearJobLoad(s)).toEqual(newJobLoad('slowdecay'));
    const f = setJobMode(s, 'fastdecay');
    expect(f.load).toBe(1);
    expect(observeJob(f, idle(1)).load).toBeCloseTo(0.926, 12);
  });
});
