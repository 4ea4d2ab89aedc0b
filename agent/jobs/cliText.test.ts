import { describe, expect, it } from 'vitest';
import type { ProcInfo } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { describeStarted, mpsLines, parseMpsArgs } from './cliText.js';

const rec = (over: Partial<JobRecord>): JobRecord => ({
  ref: { home: 1, id: 77 }, argv: ['/bin/sleep', '300'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/j/1.77', startedAt: 1,
  state: 'running', where: 0, pid: 77, locked: false, migrations: 0, ...over,
});
const proc = (over: Partial<ProcInfo>): ProcInfo => ({
  pid: 1, ppid: 0, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0.5, rssKb: 2048, nice: 0, where: 0, ...over,
});

describe("mosrun's report of a start", () => {
  it('a program that could not run: on stderr, with the program, and the shell\'s status to exit with', () => {
    const r = describeStarted([rec({ argv: ['/no/such/program'], state: 'exited', exitStatus: 127, pid: undefined, startError: '/no/such/program: not found' })]);
    expect(r).toEqual({
      out: [],
      err: ['job 1.77 could not run /no/such/program (exit status 127, command not found): /no/such/program: not found'],
      exitCode: 127,
    });
  });

  it('running here, started elsewhere, pending, or already over', () => {
    const r = describeStarted([
      rec({}),
      rec({ ref: { home: 1, id: 4194305 }, state: 'away', where: 2, pid: undefined, dir: '/j/1.4194305' }),
      rec({ ref: { home: 1, id: 4194306 }, state: 'pending', where: 3, pid: undefined, note: 'node 3 is down' }),
      rec({ state: 'exited', exitStatus: 0, pid: undefined }),
    ]);
    expect(r.out).toEqual([
      'job 1.77 started, pid 77; output in /j/1.77',
      'job 1.4194305 started on node 2 (its home is node 1); output in /j/1.4194305',
      'job 1.4194306: to be started on node 3 (node 3 is down)',
      'job 1.77 started and has already ended (exit status 0); output in /j/1.77',
    ]);
    expect(r.err).toEqual([]);
    expect(r.exitCode).toBeUndefined();
  });

  it('a remote copy that could not run says on which node', () => {
    const r = describeStarted([rec({ state: 'exited', where: 2, exitStatus: 126, startError: '/x: Permission denied', argv: ['/x'] })]);
    expect(r.err).toEqual(['job 1.77 on node 2 could not run /x (exit status 126, found but cannot be executed: no permission, a directory, or not a program): /x: Permission denied']);
    expect(r.exitCode).toBe(126);
  });
});

describe('mps', () => {
  const procs = [
    proc({}),
    proc({ pid: 300, user: 'alice', command: 'sleep', args: 'sleep 1', cpu: 3 }),
    proc({ pid: 500, user: 'bob', command: 'crunch', args: 'crunch -n 5', job: { home: 1, id: 500 }, cpu: 99.5, state: 'R' }),
    proc({ pid: 1234, user: 'bob', command: 'count', args: 'count', where: 3, away: { home: 1, id: 1234 }, state: 'M', cpu: 0, rssKb: 0 }),
  ];
  const jobs = [rec({ ref: { home: 1, id: 4194307 }, state: 'pending', where: 4, argv: ['x'] })];
  const pids = (lines: string[]) => lines.slice(1).map((l) => l.trim().split(/\s+/)[0]);

  it('takes ps\'s choices: users, PIDs (bare or -p), and -j for jobs only', () => {
    expect(pids(mpsLines(procs, jobs, parseMpsArgs([])))).toEqual(['1', '300', '500', '1234', '-']);
    expect(pids(mpsLines(procs, jobs, parseMpsArgs(['-u', 'alice'])))).toEqual(['300']);
    expect(pids(mpsLines(procs, jobs, parseMpsArgs(['-ubob,alice'])))).toEqual(['300', '500', '1234']);
    expect(pids(mpsLines(procs, jobs, parseMpsArgs(['500', '300'])))).toEqual(['300', '500']);
    expect(pids(mpsLines(procs, jobs, parseMpsArgs(['-p', '1234'])))).toEqual(['1234']);
    expect(pids(mpsLines(procs, jobs, parseMpsArgs(['-j'])))).toEqual(['500', '1234', '-']);
  });

  it('the node column: 0 here, N for a job that runs on node N', () => {
    const lines = mpsLines(procs, [], parseMpsArgs(['-j']));
    expect(lines[0]).toBe('    PID NODE JOB          S  NI  %CPU      RSS COMMAND');
    expect(lines[1]).toBe('    500    0 1.500        R   0  99.5     2048 crunch -n 5');
    expect(lines[2]).toBe('   1234    3 1.1234       M   -     -        - count');
  });

  it('says what is wrong with an argument', () => {
    expect(() => parseMpsArgs(['-x'])).toThrow(/unknown option "-x"\nusage: mps/);
    expect(() => parseMpsArgs(['abc'])).toThrow(/"abc" is not a PID/);
    expect(() => parseMpsArgs(['-u'])).toThrow(/-u needs a value/);
  });
});
