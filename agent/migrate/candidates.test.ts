import { describe, expect, it } from 'vitest';
import { jobCandidates } from './candidates.js';
import { holdReason, movableJobs, DEFAULT_DECIDE } from '../balance/decide.js';
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
  it('a job whose processes cannot move (CRIU missing or too old here) is no candidate, and says why', () => {
    const criu = 'CRIU 3.17 on this node is too old: need >= 4';
    const c = jobCandidates([rec(10), rec(11)], [{ ...proc(100, 10, 100), cantMove: criu }, proc(101, 11, 100)]);
    expect(c.map((j) => [j.key, j.cantMove])).toEqual([['1.10', criu], ['1.11', undefined]]);
    expect(movableJobs({ id: 1, flags }, c, 0, DEFAULT_DECIDE).map((j) => j.key)).toEqual(['1.11']);
  });
  it('a job whose working directory no other node shares is no candidate, and says why (the balancer never tries it)', () => {
    const why = 'its working directory /tmp is not shared with another node: a marker file written in /tmp here is not seen there (nodes 2, 3)';
    const c = jobCandidates([rec(10), rec(11, { cwd: '/home/ann' })], [proc(100, 10, 100), proc(101, 11, 100)], (cwd) => (cwd === '/tmp' ? why : undefined));
    expect(c.map((j) => [j.key, j.cantMove])).toEqual([['1.10', why], ['1.11', undefined]]);
    expect(movableJobs({ id: 1, flags }, c, 0, DEFAULT_DECIDE).map((j) => j.key)).toEqual(['1.11']);
  });
  it('carries the move that brought the job here, so the balancer holds it (who moved it is the balancer\'s to say)', () => {
    const now = 1_000_000;
    const arrived = rec(5, { migrations: 1, lastMigration: { from: 2, to: 1, freezeMs: 100, bytes: 1, at: now - 500 } });
    const c = jobCandidates([arrived, rec(7)], []);
    expect(c[0]!.lastMove).toEqual({ at: now - 500, from: 2 });
    expect(c[1]!.lastMove).toBeUndefined();
    // Unannounced, the move counts as the admin's: held for the admin hold.
    expect(holdReason(c[0]!, now + 5 * 60_000, DEFAULT_DECIDE)).toMatch(/moved here by the admin/);
  });
});
