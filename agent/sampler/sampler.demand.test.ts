/**
 * Demand from runnable time over the interval (/proc/PID/schedstat), on fixture /proc trees.
 * Units: utime/cutime in clock ticks (10 ms), schedstat in ns; the clock advances 1 s per sample
 * unless a test says otherwise, so a figure is "seconds runnable per second".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Sampler } from './sampler.js';
import { FakeRoot } from './fixture.test-util.js';

let roots: FakeRoot[] = [];
afterEach(() => {
  for (const r of roots) r.dispose();
  roots = [];
});
function setup(selfPids: number[] = []) {
  const f = new FakeRoot();
  roots.push(f);
  let t = 1_000_000;
  const s = new Sampler({ procRoot: f.root, selfPids: () => selfPids, speed: () => 10000, now: () => t });
  const next = (ms = 1000) => {
    t += ms;
    return s.sample().sample;
  };
  return { f, s, next };
}
const MS = 1e6; // ns per ms

describe('demand from runnable time over the interval', () => {
  it('counts run + wait time, not the state at the instant of the sample', () => {
    const { f, s, next } = setup();
    f.proc({ pid: 10, comm: 'cron', state: 'S', sched: [0, 0] })
      .proc({ pid: 11, comm: 'probe', state: 'R', sched: [0, 0] })
      .proc({ pid: 12, comm: 'idle', state: 'S', sched: [0, 0] });
    // No interval yet: nothing measured. Counting who is runnable at this instant would count
    // probe as a whole task, and the load would take seconds to forget it.
    expect(s.sample().sample).toMatchObject({ demand: 0, load: 0, demandSource: 'schedstat' });

    // cron ran 200 ms and waited 300 ms, asleep at the sample; probe ran 100 ms, waited 100 ms,
    // and happens to be running at the sample.
    f.proc({ pid: 10, comm: 'cron', state: 'S', utime: 20, sched: [200 * MS, 300 * MS] })
      .proc({ pid: 11, comm: 'probe', state: 'R', utime: 10, sched: [100 * MS, 100 * MS] });
    const x = next();
    expect(x.demand).toBe(0.7); // 0.5 + 0.2 + 0; the instant count said 0.2 + 1 + 0
    expect(x.util).toBe(7.5); // 0.3 CPU of 4
    expect(x.load).toBe(0.7); // rises at once
    expect(x.demandSource).toBe('schedstat');
  });

  it("adds up a process's threads from task/*/schedstat, each at most the interval, the process at most its threads", () => {
    const { f, s, next } = setup();
    f.proc({ pid: 20, comm: 'chromium', tasks: { 20: [0, 0], 21: [0, 0], 22: [0, 500 * MS] } })
      .proc({ pid: 30, comm: 'hog', state: 'R', sched: [0, 0] });
    s.sample();
    // Thread 22 reports 2 s of waiting in a 1 s interval (the sampler's pass is not an instant):
    // it counts 1. Thread 23 started since: all its time counts.
    f.proc({ pid: 20, comm: 'chromium', utime: 15, tasks: { 20: [100 * MS, 200 * MS], 21: [0, 0], 22: [0, 2500 * MS], 23: [50 * MS, 100 * MS] } })
      // One thread, a full CPU, and 500 ms of waiting on top: a thread is runnable at most the interval.
      .proc({ pid: 30, comm: 'hog', state: 'R', utime: 100, sched: [1000 * MS, 500 * MS] });
    expect(next().demand).toBe(1.45 + 1); // 0.15 CPU + 0.2 + 0 + 1 + 0.1 waiting; the hog 1
  });

  it('counts a thread that ended and one that took its TID afresh', () => {
    const { f, s, next } = setup();
    f.proc({ pid: 20, tasks: { 20: [0, 0], 21: [0, 900 * MS], 22: [0, 0] } });
    s.sample();
    f.removeTask(20, 22).proc({ pid: 20, utime: 10, tasks: { 20: [100 * MS, 100 * MS], 21: [0, 900 * MS] } });
    expect(next().demand).toBe(0.2);
    // TID 21 ended and was taken by a new thread: its counter is below the old one, so it starts
    // from 0. TID 22 is back as a new thread too.
    f.proc({ pid: 20, utime: 20, tasks: { 20: [200 * MS, 100 * MS], 21: [0, 40 * MS], 22: [0, 30 * MS] } });
    expect(next().demand).toBe(0.17);
  });

  it('counts a process that started since the last sample from its beginning', () => {
    const { f, s, next } = setup();
    f.proc({ pid: 1, comm: 'init', sched: [0, 0] });
    s.sample();
    f.proc({ pid: 50, comm: 'job', starttime: 5000, utime: 30, sched: [300 * MS, 200 * MS] });
    expect(next().demand).toBe(0.5);
  });

  it('reads a sleeping process that used no CPU only when it runs again, losing none of its waiting', () => {
    const { f, s, next } = setup();
    f.proc({ pid: 40, sched: [0, 0] });
    s.sample();
    // Woke for less than a tick: not read this time ...
    f.proc({ pid: 40, sched: [2 * MS, 50 * MS] });
    expect(next().demand).toBe(0);
    // ... and its 50 ms of waiting are counted with the next interval's.
    f.proc({ pid: 40, utime: 10, sched: [100 * MS, 150 * MS] });
    expect(next().demand).toBe(0.25);
  });

  it('leaves the agent itself out', () => {
    const { f, s, next } = setup([12]);
    f.proc({ pid: 12, comm: 'agent', state: 'R', sched: [0, 0] });
    s.sample();
    f.proc({ pid: 12, comm: 'agent', state: 'R', utime: 50, sched: [500 * MS, 500 * MS] });
    expect(next()).toMatchObject({ demand: 0, util: 0 });
  });

  it('falls back to the state at the sample where /proc/PID/schedstat is missing', () => {
    const { f, s, next } = setup();
    f.proc({ pid: 10, state: 'R' }).proc({ pid: 11, state: 'S' });
    expect(s.sample().sample).toMatchObject({ demand: 1, demandSource: 'state' });
    f.proc({ pid: 10, state: 'R', utime: 10 }).proc({ pid: 11, state: 'S', utime: 30 });
    expect(next()).toMatchObject({ demand: 1.3, demandSource: 'state' }); // max(1, 0.1) + max(0, 0.3)
  });
});

describe('processes that ended between samples', () => {
  it("count by their reaper's children times, less what was counted while they lived", () => {
    const { f, s, next } = setup();
    f.proc({ pid: 1, comm: 'init', sched: [0, 0] })
      .proc({ pid: 60, comm: 'sh', sched: [0, 0] })
      .proc({ pid: 61, comm: 'make', ppid: 60, utime: 50, sched: [500 * MS, 0] });
    s.sample();
    // make ran 30 more ticks, its compiler child (never seen) 20, then make ended and sh reaped
    // it: sh's children time grows by make's whole life, 100. A probe that lived 100 ms between
    // the samples ended too, reaped by init.
    f.remove(61).proc({ pid: 60, comm: 'sh', cutime: 90, cstime: 10, sched: [0, 0] }).proc({ pid: 1, comm: 'init', cutime: 10, sched: [0, 0] });
    expect(next()).toMatchObject({ demand: 0.6, util: 15 }); // 0.3 + 0.2 + 0.1 of 4 CPUs
  });

  it('wait for the next sample when a process ends during the pass', () => {
    const { f, s, next } = setup();
    f.proc({ pid: 60, comm: 'sh', sched: [0, 0] }).proc({ pid: 62, ppid: 60, utime: 40, sched: [400 * MS, 0] });
    s.sample();
    // Listed by readdir, gone by the time its stat is read: sh has not reaped it yet as far as
    // this pass saw, so its 40 ticks are not taken off anything yet.
    f.file('proc/62/stat', '');
    expect(next().demand).toBe(0);
    f.remove(62).proc({ pid: 60, comm: 'sh', cutime: 45, sched: [0, 0] });
    expect(next().demand).toBe(0.05);
  });

  it("count the agent's children, and never more than the node's CPUs could do", () => {
    const { f, s, next } = setup([70]);
    f.proc({ pid: 1, comm: 'init', sched: [0, 0] }).proc({ pid: 70, comm: 'agent', sched: [0, 0] });
    s.sample();
    f.proc({ pid: 70, comm: 'agent', cutime: 20, sched: [0, 0] });
    expect(next().demand).toBe(0.2);
    // A reaper's children time can jump by a child's whole life in a pass that still saw the child
    // alive (reaped between the two reads): whatever the cause, at most 4 CPUs for 1 s.
    f.proc({ pid: 1, comm: 'init', cutime: 360_000, sched: [0, 0] });
    expect(next()).toMatchObject({ demand: 4, util: 100 });
  });
});
