import { describe, expect, it } from 'vitest';
import type { ProcInfo } from '../domain/process.js';
import { groupJobs, internalPids, jobAsProcess } from './jobView.js';

const proc = (over: Partial<ProcInfo>): ProcInfo => ({
  pid: 1, ppid: 0, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0, rssKb: 1000, nice: 0, where: 0, ...over,
});
const ref = { home: 1, id: 501 };
const WRAP = `sh -c "$@" 3>&-; echo $? >&3 mosixview-job /opt/crunch -n 5`;
const PROCS = [
  proc({ pid: 1 }),
  proc({ pid: 500, ppid: 1, command: 'unshare', args: `unshare --pid --fork setsid ${WRAP}`, cantMove: 'not started with mosrun: only mosrun jobs can migrate', rssKb: 100 }),
  proc({ pid: 501, ppid: 500, command: 'sh', args: WRAP, job: ref, rssKb: 200 }),
  proc({ pid: 502, ppid: 501, user: 'alice', command: 'crunch', args: '/opt/crunch -n 5', state: 'R', cpu: 97.5, nice: 5, job: ref, rssKb: 40000 }),
  proc({ pid: 503, ppid: 502, user: 'alice', command: 'helper', args: 'helper', cpu: 2, job: ref, rssKb: 700 }),
];

describe('a job as one row', () => {
  it('finds the parts of each job: unshare, its init shell, the command and its children', () => {
    const jobs = groupJobs(PROCS);
    expect([...jobs.keys()]).toEqual(['1.501']);
    const m = jobs.get('1.501')!;
    expect([m.unshare?.pid, m.init.pid, m.command.pid]).toEqual([500, 501, 502]);
    expect(m.all.map((p) => p.pid)).toEqual([500, 501, 502, 503]);
    expect([...internalPids(jobs)]).toEqual([500, 501, 502, 503]);
  });

  it("shows the user's command with its state, user and nice, and the CPU and memory of the whole job", () => {
    const row = jobAsProcess(groupJobs(PROCS).get('1.501')!, { argv: ['/opt/crunch', '-n', '5'] });
    expect(row).toMatchObject({ pid: 501, job: ref, user: 'alice', command: 'crunch', args: '/opt/crunch -n 5', state: 'R', nice: 5, cpu: 99.5, rssKb: 41000 });
  });

  it('without its record: the command as the node lists it; a restored job has no unshare', () => {
    const guest = [proc({ pid: 80, ppid: 1, command: 'sh', args: WRAP, job: { home: 3, id: 9 }, guestFrom: 3 }), proc({ pid: 81, ppid: 80, command: 'crunch', args: '/opt/crunch', job: { home: 3, id: 9 }, guestFrom: 3, state: 'R' })];
    const m = groupJobs(guest).get('3.9')!;
    expect(m.unshare).toBeUndefined();
    expect(jobAsProcess(m)).toMatchObject({ pid: 80, args: '/opt/crunch', state: 'R', guestFrom: 3 });
  });

  it('a shell builtin runs in the init itself: the init is the command', () => {
    const m = groupJobs([proc({ pid: 70, ppid: 1, command: 'sh', args: WRAP, job: { home: 1, id: 70 }, state: 'R' })]).get('1.70')!;
    expect(m.command.pid).toBe(70);
  });
});
