import { describe, expect, it } from 'vitest';
import { jobCandidates } from './candidates.js';
import { movableJobs, DEFAULT_DECIDE } from '../../shared/balancing/decide.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { ProcInfo } from '../../shared/domain/process.js';

const rec = (id: number, over: Partial<JobRecord> = {}): JobRecord => ({
  ref: { home: 1, id }, argv: ['hog'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/tmp/j', startedAt: 0,
  state: 'running', where: 0, locked: false, migrations: 0, ...over,
});
const proc = (pid: number, id: number, cpu: number, rssKb = 1000): ProcInfo => ({
  pid, ppid: 1, user: 'root', command: 'hog', args: 'hog', state: 'R', cpu, rssKb, nice: 0, where: 0, job: { home: 1, id },
});
const flags = { stay: false, lstay: false, block: false, quiet: false };

describe('job candidates', () => {
  it('weighs each job here by the CPU and memory of its own processes', () => {
    const c = jobCandidates([rec(10), rec(11), rec(12, { where: 3, state: 'away' })], [proc(100, 10, 60), proc(101, 10, 40, 500), proc(102, 11, 30)]);
    expect(c.map((j) => [j.key, j.load, j.memKb])).toEqual([['1.10', 1, 1500], ['1.11', 0.3, 1000]]);
  });
  it('says what keeps a job from moving', () => {
    const c = jobCandidates([rec(1, { state: 'stopped' }), rec(2, { mode: { kind: 'nomig' } }), rec(3, { mode: { kind: 'cpujob' }, locked: true })], []);
    expect(c.map((j) => [j.cantMove, j.mode, j.locked])).toEqual([['stopped (SIGSTOP)', 'slowdecay', false], ['started with nomig', 'slowdecay', false], [undefined, 'cpujob', true]]);
  });
  it('a job that just arrived is not sent on within the decision interval, a settled one is', () => {
    const now = 1_000_000;
    const arrived = rec(5, { migrations: 1, lastMigration: { from: 2, to: 1, freezeMs: 100, bytes: 1, at: now - 500 } });
    const settled = rec(6, { migrations: 1, lastMigration: { from: 2, to: 1, freezeMs: 100, bytes: 1, at: now - 60_000 } });
    const c = jobCandidates([arrived, settled, rec(7)], []);
    expect(c[0]!.lastDecisionAt).toBe(now - 500);
    expect(c[2]!.lastDecisionAt).toBeUndefined();
    expect(movableJobs({ id: 1, flags }, c, now, DEFAULT_DECIDE).map((j) => j.key)).toEqual(['1.6', '1.7']);
  });
});
