/**
 * Jobs for real on this machine: unshare, /proc, CRIU. Needs root and CRIU >= 4
 * (MOSIXVIEW_CRIU, or the test cluster's /opt/mosixview-criu); fails, saying so, otherwise.
 * Two JobsService instances with their own state dirs stand in for two nodes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobKey, type ProcInfo } from '../../shared/domain/process.js';
import { NOT_A_JOB } from '../jobs/cantMove.js';
import { JobsService } from '../jobs/jobsService.js';
import { processTree, readStat } from '../jobs/procTree.js';
import { LocalSteps } from './localSteps.js';

const CRIU = process.env.MOSIXVIEW_CRIU || '/opt/mosixview-criu/bin/criu';
// A missing prerequisite fails the run with what to do; it is never a silent skip.
if (process.getuid?.() !== 0 || !existsSync(CRIU)) {
  throw new Error(`these tests need root and CRIU 4 at ${CRIU}: run "npm test" as root (it installs CRIU), or "sudo bash e2e/setup/install-prereqs.sh"`);
}
const root = mkdtempSync(join(tmpdir(), 'mvjobs-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const killed: number[] = [];

const JOB = `let n = 0; const fs = require('fs');
if (process.argv[2]) setTimeout(() => process.exit(Number(process.argv[2])), 300);
setInterval(() => { n++; fs.writeFileSync('count.tmp', String(n)); fs.renameSync('count.tmp', 'count'); console.log(n); }, 50);`;
writeFileSync(join(root, 'job.js'), JOB);

function node(id: number): { jobs: JobsService; mig: LocalSteps } {
  const stateDir = join(root, `n${id}`);
  // Two "nodes" on one machine see every file alike: said, since the agent no longer assumes "/".
  const env = { MOSIXVIEW_CRIU: CRIU, MOSIXVIEW_CRIU_TIMEOUT_MS: "4000", MOSIXVIEW_NODE_ID: String(id), MOSIXVIEW_JOBS_DIR: join(root, 'jobs'), MOSIXVIEW_LOCAL_ROOTS: '/proc:/sys', MOSIXVIEW_SHARED_ROOTS: '/' };
  const jobs = new JobsService({ stateDir, env });
  return { jobs, mig: new LocalSteps(jobs) };
}

const move = { id: '1.1-1-1', from: 1, to: 3 };
const count = () => Number(readFileSync(join(root, 'count'), 'utf8'));
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}
const settles = async () => {
  const a = count();
  await sleep(300);
  return count() === a;
};

afterAll(async () => {
  for (const p of killed) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await sleep(200); // let the exit watchers record the last kills before the state goes
  rmSync(root, { recursive: true, force: true });
});

describe('mosrun jobs on this machine', () => {
  const n1 = node(1);
  const n3 = node(3);
  const spec = { argv: [process.execPath, join(root, 'job.js')], cwd: root, mode: { kind: 'plain' as const } };

  it('starts a job as init of its own PID namespace and session leader, with the PID as ID', async () => {
    const [r] = await n1.jobs.start(spec);
    killed.push(r!.pid!);
    expect(r).toMatchObject({ ref: { home: 1, id: r!.pid }, state: 'running', where: 0 });
    const status = readFileSync(`/proc/${r!.pid}/status`, 'utf8');
    expect(/NSpid:\s+\d+\s+1\n/.test(status)).toBe(true);
    const stat = readFileSync(`/proc/${r!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    expect(Number(stat[3])).toBe(r!.pid); // session id
    expect(r!.dir).toBe(join(root, 'jobs', `1.${r!.pid}`));
    await until(() => existsSync(join(root, 'count')) && count() > 2);
    expect(readFileSync(join(r!.dir, 'stdout'), 'utf8')).toMatch(/^1\n2\n/);
    // The registry is on disk: another daemon instance sees the same job.
    expect(node(1).jobs.registry.get(r!.ref)?.pid).toBe(r!.pid);
  });

  it('annotates job processes; everything else says why it cannot move', () => {
    const r = n1.jobs.registry.list()[0]!;
    const tree = processTree(r.pid!);
    const procs = [1, ...tree].map((pid): ProcInfo => ({
      pid, ppid: readStat(pid)!.ppid, user: 'root', command: '', args: '', state: 'S', cpu: 0, rssKb: 0, nice: 0, where: 0,
    }));
    const out = n1.jobs.annotate(procs);
    expect(out[0]!.cantMove).toBe(NOT_A_JOB);
    for (const p of out.slice(1)) expect(p).toMatchObject({ job: r.ref, where: 0 });
    expect(out.slice(1).every((p) => p.cantMove === undefined && p.guestFrom === undefined)).toBe(true);
  });

  it('SIGSTOP, SIGCONT and renice act on the whole job', async () => {
    const r = n1.jobs.registry.list()[0]!;
    n1.jobs.signal({ ref: r.ref }, 'STOP');
    await sleep(100);
    expect(await settles()).toBe(true);
    n1.jobs.signal({ pid: r.pid! }, 'CONT');
    expect(await settles()).toBe(false);
    n1.jobs.renice({ ref: r.ref }, 7);
    for (const p of processTree(r.pid!)) expect(readStat(p)!.nice).toBe(7);
  });

  it('checks: movable as it is, not when locked, not to a node with an old CRIU', async () => {
    const r = n1.jobs.registry.list()[0]!;
    expect(await n1.jobs.check({ ref: r.ref })).toEqual([]);
    const facts = await n3.mig.facts();
    expect(facts.criu.version).toMatch(/^4\./);
    expect(await n1.mig.checkMovable(r.ref, { ...facts, criu: { ...facts.criu, version: '3.17' } })).toEqual([expect.stringMatching(/CRIU 3.17 on node 3 is too old/)]);
    n1.jobs.lock(r.ref, true);
    expect((await n1.jobs.check({ ref: r.ref }))[0]).toMatch(/locked/);
    n1.jobs.lock(r.ref, false);
    expect(await n1.jobs.check({ pid: process.pid })).toEqual([NOT_A_JOB]);
  });

  // A damaged image fails at once; pages cut short make criu spin until the timeout.
  for (const [what, damage] of [
    ['a damaged process tree image', (dir: string) => writeFileSync(join(dir, 'pstree.img'), 'garbage')],
    ['pages cut short (criu hangs: the timeout ends it)', (dir: string, files: { name: string }[]) => {
      for (const f of files) if (f.name.startsWith('pages-')) writeFileSync(join(dir, f.name), 'garbage');
    }],
  ] as const) {
    it(`a failed restore (${what}) leaves the source resumable: it goes on counting`, async () => {
      const r = n1.jobs.registry.list()[0]!;
      const dir = join(root, `img-bad-${what.length}`);
      const d = await n1.mig.prepareDump(jobKey(r.ref), dir, move);
      expect(d.bytes).toBeGreaterThan(1 << 20);
      expect(n1.jobs.job(r.ref).state).toBe('frozen');
      expect(await settles()).toBe(true);
      damage(dir, d.files);
      await expect(n3.mig.restoreHere(dir, n1.jobs.job(r.ref), move)).rejects.toThrow(/Restore of the job (failed|on node 3 did not finish)/);
      n3.mig.discardRestored(jobKey(r.ref));
      n1.mig.resumeSource(jobKey(r.ref), 'restore failed');
      expect(n1.jobs.job(r.ref).state).toBe('running');
      expect(await settles()).toBe(false);
      // Nothing of the failed restore is left behind.
      const leftover = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(dir));
      expect(leftover).toEqual([]);
    }, 20_000);
  }

  it('checkpoint, restore on another "node", kill the source: it counts on from where it stopped', async () => {
    const r = n1.jobs.registry.list()[0]!;
    const key = jobKey(r.ref);
    const d = await n1.mig.prepareDump(key, join(root, 'img'), move);
    const frozenAt = count();
    const { pid } = await n3.mig.restoreHere(d.dir, n1.jobs.job(key), move);
    killed.push(pid);
    expect(pid).not.toBe(r.pid);
    expect(readStat(pid)!.state).toBe('T');
    n1.mig.killSource(key, 3);
    expect(n1.jobs.job(key)).toMatchObject({ state: 'away', where: 3 });
    const moved = n3.mig.resumeRestored(key, { from: 1, to: 3, freezeMs: Date.now() - d.frozenAt, bytes: d.bytes });
    expect(moved).toMatchObject({ state: 'running', pid, migrations: 1 });
    await until(() => count() > frozenAt + 3);
    const out = readFileSync(join(r.dir, 'stdout'), 'utf8').trim().split('\n').map(Number);
    // One instance, continuous: every number once, in order, across the move.
    expect(out).toEqual(out.map((_, i) => i + 1));
    await until(() => readStat(r.pid!)?.state === undefined || readStat(r.pid!)?.state === 'Z');
    // Annotated as a guest on node 3.
    const [p] = n3.jobs.annotate([{ pid, ppid: 1, user: 'root', command: 'sh', args: '', state: 'S', cpu: 0, rssKb: 0, nice: 0, where: 0 }]);
    expect(p).toMatchObject({ job: r.ref, guestFrom: 1 });
    n3.jobs.signal({ ref: r.ref }, 'KILL');
    await until(() => (n3.jobs.poll(), n3.jobs.job(key).state === 'killed'));
  });

  it('records the exit status of a job that ends', async () => {
    const [r] = await n1.jobs.start({ ...spec, argv: [...spec.argv, '3'] });
    await until(() => (n1.jobs.poll(), n1.jobs.job(r!.ref).state === 'exited'));
    expect(n1.jobs.job(r!.ref).exitStatus).toBe(3);
  });

  it('runon elsewhere records the intent for the peer channel', async () => {
    const recs = await n1.jobs.start({ ...spec, mode: { kind: 'parallel', first: 1, last: 3, invert: false } });
    for (const r of recs) if (r.pid) killed.push(r.pid);
    expect(recs.map((r) => [r.state, r.where])).toEqual([['running', 0], ['pending', 2], ['pending', 3]]);
    expect(recs[1]!.ref.id).toBeGreaterThan(1 << 22);
    n1.jobs.signal({ ref: recs[0]!.ref }, 'KILL');
  });
});
