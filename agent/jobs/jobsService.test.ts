/**
 * The jobs service without real processes: a fake process host, real state files in a
 * temporary directory. Starts here are in startJob.live.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcInfo } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { startFailure } from '../../shared/jobs/startFailure.js';
import type { ProcessHost } from './host.js';
import { JobsService, REMOTE_ID_BASE } from './jobsService.js';
import { START_FAILED_FILE } from './spawnJob.js';

const root = mkdtempSync(join(tmpdir(), 'mvjobsvc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Processes by PID, each with its children: enough for alive, tree and signals. */
function fakeHost(procs: Record<number, number[]>): ProcessHost & { sent: [number[], string][] } {
  const sent: [number[], string][] = [];
  const tree = (pid: number): number[] => [pid, ...(procs[pid] ?? []).flatMap(tree)];
  return {
    sent,
    alive: (pid) => pid !== undefined && pid in procs,
    startTime: (pid) => (pid in procs ? 1 : undefined),
    tree,
    signal: (pids, sig) => (sent.push([[...pids], sig]), pids.length),
    stopped: () => [],
    renice: () => undefined,
    openFiles: () => [],
    adoptAffinity: () => undefined,
  };
}

let n = 0;
function service(opts: { map?: number[]; procs?: Record<number, number[]> } = {}) {
  const stateDir = join(root, `s${++n}`);
  const host = fakeHost(opts.procs ?? {});
  const jobs = new JobsService({
    stateDir, host, env: { MOSIXVIEW_NODE_ID: '1', MOSIXVIEW_JOBS_DIR: join(root, 'jobs') },
    ...(opts.map ? { clusterNodes: () => opts.map } : {}),
  });
  return { jobs, host };
}

const rec = (over: Partial<JobRecord>): JobRecord => ({
  ref: { home: 1, id: 1234 }, argv: ['/bin/crunch', '-n', '5'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '', startedAt: 1,
  state: 'running', where: 0, locked: false, migrations: 0, ...over,
});
const spec = { argv: ['/bin/sleep', '300'], cwd: '/tmp' };

describe('runon and parallel name nodes of the map', () => {
  it('-p 1-9 on a 4-node cluster: refused, and no pending record is left to retry for ever', async () => {
    const { jobs } = service({ map: [1, 2, 3, 4] });
    await expect(jobs.start({ ...spec, mode: { kind: 'parallel', first: 2, last: 9, invert: false } })).rejects.toThrow(
      'nodes 5-9 are not in the cluster map (it has nodes 1-4): nothing started; choose FIRST-LAST within the map',
    );
    expect(jobs.registry.list()).toEqual([]);
  });

  it('-p A-B --invert starts on the other nodes of the map (mosrun sends no node list)', async () => {
    const { jobs } = service({ map: [1, 2, 3, 4] });
    const recs = await jobs.start({ ...spec, mode: { kind: 'parallel', first: 1, last: 2, invert: true } });
    expect(recs.map((r) => [r.state, r.where])).toEqual([['pending', 3], ['pending', 4]]);
    await expect(jobs.start({ ...spec, mode: { kind: 'parallel', first: 1, last: 4, invert: true } })).rejects.toThrow(/no node is left/);
  });

  it('runon a node that is not in the map is refused', async () => {
    const { jobs } = service({ map: [1, 2, 3, 4] });
    await expect(jobs.start({ ...spec, mode: { kind: 'runon', node: 6 } })).rejects.toThrow('there is no node 6 in the cluster map (it has nodes 1-4): nothing started');
    expect(jobs.registry.list()).toEqual([]);
  });
});

describe('a job away, seen from its home', () => {
  it('a remote start whose program was not found: its directory on the shared filesystem tells', () => {
    const { jobs } = service();
    const dir = join(root, 'jobs', `1.${REMOTE_ID_BASE + 1}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'exit'), '127\n');
    writeFileSync(join(dir, 'stderr'), 'mosixview-job: 1: /no/such: not found\n');
    writeFileSync(join(dir, START_FAILED_FILE), '127\n');
    const ref = { home: 1, id: REMOTE_ID_BASE + 1 };
    jobs.registry.put(rec({ ref, argv: ['/no/such'], dir, state: 'away', where: 2 }));
    const r = jobs.job(ref);
    expect(r).toMatchObject({ state: 'exited', exitStatus: 127, where: 2 });
    expect(startFailure(r)).toBe('could not run /no/such (exit status 127, command not found): /no/such: not found');
  });

  it('a job away that ended (its exit file written) is recorded as exited at the next poll', () => {
    const { jobs } = service();
    const dir = join(root, 'jobs', '1.77');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'exit'), '0\n');
    jobs.registry.put(rec({ ref: { home: 1, id: 77 }, dir, state: 'away', where: 3 }));
    jobs.poll();
    expect(jobs.job({ home: 1, id: 77 })).toMatchObject({ state: 'exited', exitStatus: 0, where: 3 });
    expect(startFailure(jobs.job({ home: 1, id: 77 }))).toBeUndefined();
  });

  it('the PID mosrun printed stays the job\'s at home, also after a round trip gave it a new PID', () => {
    const { jobs } = service({ procs: { 5678: [5679] } });
    jobs.registry.put(rec({ ref: { home: 1, id: 1234 }, pid: 5678, migrations: 2 }));
    expect(jobs.jobOfPid(1234)?.ref).toEqual({ home: 1, id: 1234 });
    expect(jobs.lockTarget({ pid: 1234 }, true).locked).toBe(true);
    expect(jobs.lockTarget({ pid: 5679 }, false).locked).toBe(false);
    expect(() => jobs.lockTarget({ pid: 999 }, true)).toThrow('process 999 is not a mosrun job on this node: only jobs can be locked');
  });

  it('locking a job that runs elsewhere says where to do it', () => {
    const { jobs } = service();
    jobs.registry.put(rec({ state: 'away', where: 3 }));
    expect(() => jobs.lockTarget({ pid: 1234 }, true)).toThrow(/job 1\.1234 runs on node 3 now: lock it there/);
  });

  it('the process list keeps an away job under its PID with the node it runs on, as openMosix\'s deputy', () => {
    const { jobs } = service();
    jobs.registry.put(rec({ state: 'away', where: 3 }));
    jobs.registry.put(rec({ ref: { home: 1, id: 99 }, state: 'pending', where: 2 }));
    jobs.registry.put(rec({ ref: { home: 1, id: 98 }, state: 'exited', where: 2 }));
    const own: ProcInfo = { pid: 1, ppid: 0, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0, rssKb: 1, nice: 0, where: 0 };
    const out = jobs.annotate([own]);
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({ pid: 1234, where: 3, away: { home: 1, id: 1234 }, command: 'crunch', args: '/bin/crunch -n 5', state: 'M', cpu: 0 });
    // Not a process computed here: the balancer's per-job figures must not count it.
    expect(out[1]!.job).toBeUndefined();
  });

  it('forget: a job away is kept unless its node is said to be gone', () => {
    const { jobs } = service();
    jobs.registry.put(rec({ state: 'away', where: 3 }));
    expect(() => jobs.forget({ home: 1, id: 1234 })).toThrow(/runs on node 3/);
    jobs.forget({ home: 1, id: 1234 }, { unreachable: true });
    expect(jobs.registry.list()).toEqual([]);
  });
});
