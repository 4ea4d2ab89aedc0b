import { describe, expect, it } from 'vitest';
import { JobTracker, jobUsage } from './jobTracker.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import { DEFAULT_DECAY } from '../../shared/balancing/types.js';

const proc = (pid: number, id: number, cpu: number, state = 'R'): ProcInfo => ({
  pid, ppid: 1, user: 'root', command: 'hog', args: 'hog', state, cpu, rssKb: 1, nice: 0, where: 0, job: { home: 1, id },
});

describe('job tracker', () => {
  it('sums CPU and runnable time per job over the interval', () => {
    const u = jobUsage([proc(1, 7, 50), proc(2, 7, 30, 'S'), { ...proc(3, 8, 99), job: undefined }], 2);
    expect(u.get('1.7')).toEqual({ cpuS: 1.6, runnableS: 2 });
    expect(u.size).toBe(1);
  });
  it('a mode told before the first sample shapes the first figure: a mostly idle cpujob counts 1', () => {
    const t = new JobTracker();
    t.setMode('1.7', 'cpujob');
    for (let s = 0; s <= 30; s++) t.observe([proc(1, 7, 10, 'S'), proc(2, 8, 10, 'S')], s * 1000, DEFAULT_DECAY);
    expect(t.load('1.7')).toBeGreaterThanOrEqual(1);
    expect(t.load('1.8')).toBeLessThan(0.5);
  });
  it('forgets jobs no longer seen, and their modes', () => {
    const t = new JobTracker();
    t.setMode('1.7', 'cpujob');
    t.observe([proc(1, 7, 100)], 0, DEFAULT_DECAY);
    t.observe([], 1000, DEFAULT_DECAY);
    expect(t.size).toBe(0);
    t.observe([proc(1, 7, 10, 'S')], 2000, DEFAULT_DECAY);
    for (let s = 3; s <= 30; s++) t.observe([proc(1, 7, 10, 'S')], s * 1000, DEFAULT_DECAY);
    expect(t.load('1.7')).toBeLessThan(0.5); // a new job under the same key starts with the default mode
  });
});
