/** Which processes are the bench's Chromium, and how much CPU they used between two looks. */
import { describe, expect, it } from 'vitest';
import { chromiumBelow, cpuBetween, parseProcStat, type ProcStat } from './chromiumQuiet.js';

const p = (pid: number, ppid: number, comm: string, cpuMs = 0): ProcStat => ({ pid, ppid, comm, cpuMs });

describe('parseProcStat', () => {
  it('reads pid, parent, command and user + system time, also of a command with spaces and parentheses', () => {
    const line = '4242 (chromium (x) y) S 4200 4242 4242 0 -1 4194560 1 0 0 0 37 5 2 1 20 0 1 0 100 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 4200, comm: 'chromium (x) y', cpuMs: 420 });
  });

  it('says undefined for what is no stat line', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
  });
});

describe('chromiumBelow', () => {
  it('finds Chromium at any depth below the root, not beside it, and not other children', () => {
    const procs = [
      p(10, 1, 'node'), // the bench
      p(11, 10, 'chromium'), // browser
      p(12, 11, 'chromium'), // zygote
      p(13, 12, 'chromium'), // renderer
      p(14, 10, 'ssh'), // the fan-out
      p(15, 10, 'node'), // the headless server
      p(20, 1, 'chromium'), // someone else's browser
      p(21, 20, 'chromium'),
    ];
    expect(chromiumBelow(10, procs).map((x) => x.pid).sort()).toEqual([11, 12, 13]);
  });
});

describe('cpuBetween', () => {
  it('sums the growth of the processes alive at both looks; one that ended or started counts nothing', () => {
    const before = [p(1, 0, 'chromium', 100), p(2, 0, 'chromium', 50), p(3, 0, 'chromium', 70)];
    const after = [p(1, 0, 'chromium', 130), p(2, 0, 'chromium', 55), p(4, 0, 'chromium', 900)];
    expect(cpuBetween(before, after)).toBe(35);
  });
});
