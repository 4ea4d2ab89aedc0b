/**
 * A job of another user, for real on this machine (root, unshare, setpriv, CRIU): it runs as
 * that user with their groups and home, its files are theirs, and a restore keeps its uid
 * (where CRIU may checkpoint other uids; elsewhere the job is said unable to move);
 * restored images of another uid than the record's are discarded. The user is `nobody`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobKey } from '../../shared/domain/process.js';
import { JobsService } from './jobsService.js';
import { LocalSteps } from '../migrate/localSteps.js';
import { lookupAccount } from './accounts.js';
import { openJobFiles } from './runAsUser.js';
import { processTree } from './procTree.js';
import { checkpointsOtherUids, otherUidReason } from './otherUids.js';

const CRIU = process.env.MOSIXVIEW_CRIU || '/opt/mosixview-criu/bin/criu';
if (process.getuid?.() !== 0 || !existsSync(CRIU)) throw new Error(`these tests need root and CRIU 4 at ${CRIU}`);
const nobody = lookupAccount(65534);
if (!nobody) throw new Error('these tests run a job as the user nobody (uid 65534), which this machine lacks: add it');

const root = mkdtempSync(join(tmpdir(), 'mvowner-'));
chmodSync(root, 0o711);
const work = join(root, 'work');
mkdirSync(work, { mode: 0o777 });
chmodSync(work, 0o777);
const jobsDir = join(root, 'jobs-of-nobody');
mkdirSync(jobsDir);
chownSync(jobsDir, nobody.uid, nobody.gid);
writeFileSync(join(root, 'job.js'), `let n = 0; const fs = require('fs');
setInterval(() => { n++; fs.writeFileSync('count.tmp', String(n)); fs.renameSync('count.tmp', 'count'); }, 50);`);
chmodSync(join(root, 'job.js'), 0o644);
const killed: number[] = [];
afterAll(() => {
  for (const p of killed) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(root, { recursive: true, force: true });
});

const node = (id: number) => {
  const env = { MOSIXVIEW_CRIU: CRIU, MOSIXVIEW_NODE_ID: String(id), MOSIXVIEW_LOCAL_ROOTS: '/proc:/sys' };
  const jobs = new JobsService({ stateDir: join(root, `n${id}`), env });
  return { jobs, steps: new LocalSteps(jobs) };
};
const status = (pid: number) => readFileSync(`/proc/${pid}/status`, 'utf8');
const ids = (pid: number, field: 'Uid' | 'Gid' | 'Groups') => new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(status(pid))![1]!.trim().split(/\s+/).filter(Boolean).map(Number);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = () => Number(readFileSync(join(work, 'count'), 'utf8'));

describe("a job of another user", () => {
  const n1 = node(1);
  const n3 = node(3);
  const owner = { uid: nobody.uid, user: nobody.user };
  const spec = { argv: [process.execPath, join(root, 'job.js')], cwd: work, mode: { kind: 'plain' as const }, jobsDir, owner };

  it('runs as that user: uid, group, supplementary groups, HOME; its files are theirs', async () => {
    const [r] = await n1.jobs.start(spec);
    killed.push(r!.pid!);
    expect(r).toMatchObject({ state: 'running', owner });
    const u = nobody.uid;
    // The init (the namespace's 1, the agent's fixed shell) is root's; the command is nobody's.
    expect(ids(r!.pid!, 'Uid')).toEqual([0, 0, 0, 0]);
    const [cmd] = processTree(r!.pid!).slice(1);
    expect(readFileSync(`/proc/${cmd}/cmdline`, 'utf8').split('\0')[0]).toBe(process.execPath);
    expect(ids(cmd!, 'Uid')).toEqual([u, u, u, u]);
    expect(ids(cmd!, 'Gid')).toEqual([nobody.gid, nobody.gid, nobody.gid, nobody.gid]);
    const groups = spawnSync('id', ['-G', nobody.user], { encoding: 'utf8' }).stdout.trim().split(/\s+/).map(Number).filter((g) => g !== nobody.gid);
    expect(ids(cmd!, 'Groups').filter((g) => g !== nobody.gid).sort()).toEqual(groups.sort());
    const env = readFileSync(`/proc/${cmd}/environ`, 'utf8').split('\0');
    expect(env).toContain(`HOME=${nobody.home}`);
    expect(env).toContain(`USER=${nobody.user}`);
    for (const f of ['stdout', 'stderr', 'exit']) expect(statSync(join(r!.dir, f)).uid).toBe(u);
    expect(statSync(r!.dir).uid).toBe(u);
    const end = Date.now() + 5000;
    while (!existsSync(join(work, 'count')) && Date.now() < end) await sleep(20);
    expect(count()).toBeGreaterThan(0);
  });

  it("images whose processes are another uid's than the record says are discarded", async () => {
    // A job of root's, its record claiming nobody: CRIU restores root, and the agent refuses it.
    const plain = node(5);
    const target = node(6);
    // Its own directory: two counters renaming count.tmp in one directory would crash each other.
    const cwd = join(root, 'work-root');
    mkdirSync(cwd, { recursive: true });
    const [r] = await plain.jobs.start({ ...spec, owner: undefined, cwd, jobsDir: join(root, 'jobs-root') });
    killed.push(r!.pid!);
    const key = jobKey(r!.ref);
    const move = { id: `${key}-5-1`, from: 5, to: 6 };
    const d = await plain.steps.prepareDump(key, join(root, 'img-lie'), move);
    const lie = { ...plain.jobs.job(key), owner };
    await expect(target.steps.restoreHere(d.dir, lie, move)).rejects.toThrow(`the restored copy of job ${key} ran as uid 0, but the job is nobody's (uid 65534): it was discarded`);
    expect(target.jobs.registry.get(key)).toBeUndefined();
    plain.steps.resumeSource(key, 'test');
    plain.jobs.signal({ ref: r!.ref }, 'KILL');
  }, 60_000);

  it("a restore keeps the user's uid where CRIU may checkpoint other uids; elsewhere the job is said unable to move, before any dump", async () => {
    const r = n1.jobs.registry.list().find((x) => x.owner?.uid === owner.uid && x.state === 'running')!;
    expect(r, JSON.stringify(n1.jobs.registry.list())).toBeDefined();
    const key = jobKey(r.ref);
    if (!checkpointsOtherUids()) {
      // This project's build machines: root without CAP_SYS_RESOURCE (CRIU's prlimit on another uid fails).
      // (Its files count as not shared too: this machine is no cluster; the capability comes first.)
      expect((await n1.jobs.check({ ref: r.ref }))[0]).toBe(otherUidReason(owner));
      return;
    }
    const move = { id: `${key}-1-1`, from: 1, to: 3 };
    const d = await n1.steps.prepareDump(key, join(root, 'img'), move);
    const { pid } = await n3.steps.restoreHere(d.dir, n1.jobs.job(key), move);
    killed.push(pid);
    const [cmd] = processTree(pid).slice(1);
    expect(ids(cmd!, 'Uid')).toEqual([nobody.uid, nobody.uid, nobody.uid, nobody.uid]);
    expect(ids(pid, 'Uid')).toEqual([0, 0, 0, 0]);
    n3.jobs.signal({ ref: r.ref }, 'KILL');
  }, 60_000);

  it("refuses job files that are not the user's (a directory swapped under the agent)", () => {
    const dir = join(jobsDir, 'swapped');
    mkdirSync(dir);
    for (const f of ['stdout', 'stderr', 'exit']) writeFileSync(join(dir, f), '');
    expect(() => openJobFiles(dir, nobody)).toThrow(`${join(dir, 'stdout')} is not a plain file of nobody (uid 65534): refusing to use it`);
  });
});
