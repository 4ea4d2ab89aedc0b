import { describe, expect, it } from 'vitest';
import { annotateJobs } from './annotate.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { ProcInfo } from '../../shared/domain/process.js';

const criu = { path: '/usr/sbin/criu', version: '4.1.1', preDump: false };
const rec = (id: number, cwd: string): JobRecord => ({
  ref: { home: 1, id }, argv: ['x'], cwd, mode: { kind: 'plain' }, dir: '/j', startedAt: 0, state: 'running', where: 0, pid: id, locked: false, migrations: 0,
});
const proc = (pid: number, ppid = 1): ProcInfo => ({ pid, ppid, user: 'root', command: 'x', args: 'x', state: 'S', cpu: 0, rssKb: 1, nice: 0, where: 0 });

describe('the process list\'s "cannot move"', () => {
  it('a job whose working directory no other node shares shows the lock, with why, as soon as it is known', () => {
    const why = 'its working directory /tmp/run is not shared with another node: a marker file written in /tmp/run here is not seen there (nodes 2, 3)';
    const rows = annotateJobs([proc(10), proc(11, 10), proc(20)], {
      records: [rec(10, '/tmp/run'), rec(20, '/home/ann')], here: 1, user: 'root', criu,
      cwdProblem: (cwd) => (cwd === '/tmp/run' ? why : undefined),
    });
    expect(rows.map((r) => [r.pid, r.cantMove])).toEqual([[10, why], [11, why], [20, undefined]]);
  });
});
