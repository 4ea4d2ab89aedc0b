import { describe, expect, it, vi } from 'vitest';
import { makeJobsApi } from './jobsApi.js';
import type { ServiceContext } from '../core/clusterTypes.js';
import type { NodeSession } from '../core/nodeSession.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { ProcInfo } from '../../shared/domain/process.js';

const rec = (over: Partial<JobRecord>): JobRecord => ({
  ref: { home: 1, id: 500 }, argv: ['/bin/sleep', '300'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/j', startedAt: 1,
  state: 'running', where: 0, locked: false, migrations: 0, ...over,
});
const proc = (over: Partial<ProcInfo>): ProcInfo => ({
  pid: 1, ppid: 0, user: 'root', command: 'x', args: 'x', state: 'S', cpu: 0, rssKb: 1, nice: 0, where: 0, ...over,
});

/** Node id -> method -> answer (a function of the params, or a value). */
type Answers = Record<number, Record<string, unknown>>;

function fakeCtx(answers: Answers, down: number[] = []) {
  const calls: { id: number; method: string; params: unknown }[] = [];
  const listeners: { id: number; event: string; cb: (d: unknown) => void }[] = [];
  const sessions = Object.keys(answers).map(Number).map((id) => ({
    id,
    view: { id, host: `h${id}`, status: down.includes(id) ? 'down' : 'up' },
    onAgentEvent: (event: string, cb: (d: unknown) => void) => listeners.push({ id, event, cb }),
    request: vi.fn(async (method: string, params: unknown) => {
      calls.push({ id, method, params });
      const a = answers[id]![method];
      if (a === undefined) throw new RpcError('ENOTFOUND', `node ${id}: no ${method}`);
      return typeof a === 'function' ? (a as (p: unknown) => unknown)(params) : a;
    }),
  })) as unknown as NodeSession[];
  const emitted: [string, unknown][] = [];
  const ctx: ServiceContext = {
    config: { name: 'lab', source: 'profile', nodes: [] },
    session: (id) => {
      const s = sessions.find((x) => x.id === id);
      if (!s) throw new RpcError('ENONODE', `there is no node ${id} in this cluster`);
      return s;
    },
    sessions: () => sessions,
    emit: (e, d) => emitted.push([e, d]),
  };
  return { api: makeJobsApi(ctx), calls, listeners, emitted };
}

describe('jobs API (main process)', () => {
  it('starts a job on the chosen node with the argv array, the mode and the cluster node list', async () => {
    const started = [rec({ pid: 42 })];
    const { api, calls } = fakeCtx({ 1: { 'jobs.start': started }, 2: {}, 3: {} });
    const res = await api['job.start']({ nodeId: 1, argv: ['/bin/sleep', '300'], cwd: '/tmp', mode: { kind: 'nomig' } });
    expect(res).toEqual(started);
    expect(calls).toEqual([{ id: 1, method: 'jobs.start', params: { argv: ['/bin/sleep', '300'], cwd: '/tmp', mode: { kind: 'nomig' }, nodes: [1, 2, 3] } }]);
  });

  it('asks the start node\'s agent whether a job started so could move, and for its shared home', async () => {
    const pre = { reasons: ['its working directory /tmp is not shared with another node'], sharedWith: [] };
    const wd = { home: '/home/ann', shared: true };
    const { api, calls } = fakeCtx({ 1: {}, 2: { 'jobs.precheck': pre, 'jobs.workdir': wd } });
    expect(await api['job.precheck']({ nodeId: 2, argv: ['/bin/sleep'], cwd: '/tmp', mode: { kind: 'plain' } })).toEqual(pre);
    expect(await api['node.workdir']({ nodeId: 2 })).toEqual(wd);
    expect(calls).toEqual([
      { id: 2, method: 'jobs.precheck', params: { argv: ['/bin/sleep'], cwd: '/tmp', mode: { kind: 'plain' } } },
      { id: 2, method: 'jobs.workdir', params: null },
    ]);
    await expect(api['node.workdir']({ nodeId: 9 })).rejects.toThrow(/no node 9/);
  });

  it('refuses a start on a node not in the map, and asks no agent (parameters: apiJobs.validate.test.ts)', async () => {
    const { api, calls } = fakeCtx({ 1: { 'jobs.start': [] } });
    await expect(api['job.start']({ nodeId: 9, argv: ['x'], cwd: '/', mode: { kind: 'nomig' } })).rejects.toThrow(/no node 9/);
    expect(calls).toEqual([]);
  });

  it('signals and renices on the node of the PID', async () => {
    const { api, calls } = fakeCtx({ 1: {}, 2: { 'jobs.signal': null, 'jobs.renice': null } });
    await api['job.signal']({ nodeId: 2, pid: 77, signal: 'STOP' });
    await api['job.renice']({ nodeId: 2, pid: 77, nice: -20 });
    expect(calls).toEqual([
      { id: 2, method: 'jobs.signal', params: { pid: 77, signal: 'STOP' } },
      { id: 2, method: 'jobs.renice', params: { pid: 77, nice: -20 } },
    ]);
  });

  it('follows a job by its identity to the node it runs on now, for actions and migration', async () => {
    const ref = { home: 1, id: 500 };
    const { api, calls } = fakeCtx({
      1: { 'jobs.get': rec({ state: 'away', where: 3 }) },
      2: {},
      3: { 'jobs.get': rec({ pid: 9, migrations: 1 }), 'jobs.signal': null, 'jobs.migrate': rec({ state: 'away', where: 2 }) },
    });
    await api['job.signal']({ nodeId: 1, ref, signal: 'KILL' });
    expect(calls.filter((c) => c.method !== 'jobs.get')).toEqual([{ id: 3, method: 'jobs.signal', params: { ref, signal: 'KILL' } }]);
    await api['job.migrate']({ nodeId: 1, ref, to: 'home' });
    expect(calls.at(-1)).toEqual({ id: 3, method: 'jobs.migrate', params: { ref, to: 'home' } });
    await expect(api['job.migrate']({ nodeId: 1, ref, to: 7 })).rejects.toThrow(/no node 7/);
  });

  it('says a job is not running instead of signalling a stale record', async () => {
    const { api } = fakeCtx({ 1: { 'jobs.get': rec({ state: 'exited', exitStatus: 0 }) }, 2: {} });
    await expect(api['job.signal']({ nodeId: 1, ref: { home: 1, id: 500 }, signal: 'CONT' })).rejects.toThrow(/job 1\.500 is not running \(exited, exit status 0\)/);
  });

  it('status: the process, its job record and why it cannot move', async () => {
    const p = proc({ pid: 500, job: { home: 1, id: 500 }, nice: 5 });
    const { api, calls } = fakeCtx({
      1: { procs: [proc({ pid: 1, cantMove: 'not started with mosrun' }), p], 'jobs.get': rec({ pid: 500 }), 'jobs.check': { reasons: ['it is locked'] } },
    });
    const s = await api['job.status']({ nodeId: 1, pid: 500 });
    // A job shows as the command its record names.
    expect(s).toEqual({ nodeId: 1, proc: { ...p, command: 'sleep', args: '/bin/sleep 300' }, job: rec({ pid: 500 }), reasons: ['it is locked'] });
    expect(calls.find((c) => c.method === 'jobs.check')?.params).toEqual({ pid: 500 });
    const gone = await api['job.status']({ nodeId: 1, pid: 999 });
    expect(gone).toEqual({ nodeId: 1, reasons: [] });
  });

  it('status of a job that moved: found on its new node by its identity', async () => {
    const ref = { home: 1, id: 500 };
    const p = proc({ pid: 33, job: ref });
    const { api } = fakeCtx({
      1: { 'jobs.get': rec({ state: 'away', where: 2 }) },
      2: { 'jobs.get': rec({ pid: 33, migrations: 1 }), procs: [p], 'jobs.check': { reasons: [] } },
    });
    const s = await api['job.status']({ nodeId: 1, ref });
    expect(s.nodeId).toBe(2);
    expect(s.proc).toEqual({ ...p, command: 'sleep', args: '/bin/sleep 300' });
    expect(s.job?.migrations).toBe(1);
  });

  it('lock needs a job; a PID is turned into its job identity', async () => {
    const ref = { home: 1, id: 500 };
    const { api, calls } = fakeCtx({ 1: { procs: [proc({ pid: 500, job: ref }), proc({ pid: 7 })], 'jobs.lock': rec({ locked: true }) } });
    expect((await api['job.lock']({ nodeId: 1, pid: 500, locked: true })).locked).toBe(true);
    expect(calls.at(-1)).toEqual({ id: 1, method: 'jobs.lock', params: { ref, locked: true } });
    await expect(api['job.lock']({ nodeId: 1, pid: 7, locked: true })).rejects.toThrow(/not a mosrun job/);
  });

  it('guests are the processes with a home elsewhere; files are listed only for absolute or ~ paths', async () => {
    const guest = proc({ pid: 12, guestFrom: 3, job: { home: 3, id: 4 } });
    const listing = { path: '/bin', entries: [] };
    const { api } = fakeCtx({ 1: { procs: [proc({ pid: 1 }), guest], 'fs.list': listing } });
    expect(await api['node.guests']({ nodeId: 1 })).toEqual([guest]);
    expect(await api['node.files']({ nodeId: 1, path: '/bin' })).toEqual(listing);
    expect(await api['node.files']({ nodeId: 1, path: '~' })).toEqual(listing);
  });

  it("forwards every node's jobs.changed as job.changed and jobs.progress as job.progress, with the node's ID", () => {
    const { listeners, emitted } = fakeCtx({ 1: {}, 2: {} });
    expect(listeners.map((l) => [l.id, l.event])).toEqual([[1, 'jobs.changed'], [1, 'jobs.progress'], [2, 'jobs.changed'], [2, 'jobs.progress']]);
    listeners.find((l) => l.id === 2 && l.event === 'jobs.changed')!.cb(rec({ state: 'stopped' }));
    const progress = { ref: rec({}).ref, from: 2, to: 3, at: 1, phase: 'dumping' as const };
    listeners.find((l) => l.id === 2 && l.event === 'jobs.progress')!.cb(progress);
    expect(emitted).toEqual([['job.changed', { nodeId: 2, record: rec({ state: 'stopped' }) }], ['job.progress', { nodeId: 2, progress }]]);
  });

  it('status of a job: one process, the user\'s command with its state and the CPU of the whole job', async () => {
    const ref = { home: 1, id: 500 };
    const wrap = 'sh -c "$@" 3>&-; echo $? >&3 mosixview-job /bin/crunch';
    const procs = [
      proc({ pid: 499, ppid: 1, command: 'unshare', args: `unshare --pid --fork setsid ${wrap}` }),
      proc({ pid: 500, ppid: 499, command: 'sh', args: wrap, job: ref, cpu: 0 }),
      proc({ pid: 501, ppid: 500, command: 'crunch', args: '/bin/crunch', job: ref, state: 'R', cpu: 98 }),
    ];
    const { api } = fakeCtx({ 1: { procs, 'jobs.get': rec({ pid: 500, argv: ['/bin/crunch'] }), 'jobs.check': { reasons: [] } } });
    for (const pid of [500, 501]) {
      const s = await api['job.status']({ nodeId: 1, pid });
      expect(s.proc).toMatchObject({ pid: 500, args: '/bin/crunch', command: 'crunch', state: 'R', cpu: 98 });
    }
  });

  it('a job whose node went down: where it was, that the node cannot be reached, and why', async () => {
    const ref = { home: 1, id: 500 };
    const { api } = fakeCtx({ 1: { 'jobs.get': rec({ state: 'away', where: 3 }) }, 2: {}, 3: {} }, [3]);
    const s = await api['job.status']({ nodeId: 1, ref });
    expect(s.unreachable).toEqual({ node: 3, why: 'node 3 (h3) is down' });
    expect(s.job?.where).toBe(3);
    expect(s.proc).toBeUndefined();
  });

  it('forget: a job away only once its node cannot be reached; an ended one at once', async () => {
    const ref = { home: 1, id: 500 };
    const away = fakeCtx({ 1: { 'jobs.get': rec({ state: 'away', where: 3 }), 'jobs.forget': null }, 3: { 'jobs.get': rec({ pid: 9 }) } });
    await expect(away.api['job.forget']({ nodeId: 1, ref })).rejects.toThrow(/node 3 is up and runs job 1\.500: kill it in its migrator instead/);
    expect(away.calls.some((c) => c.method === 'jobs.forget')).toBe(false);
    const down = fakeCtx({ 1: { 'jobs.get': rec({ state: 'away', where: 3 }), 'jobs.forget': null }, 3: {} }, [3]);
    await down.api['job.forget']({ nodeId: 1, ref });
    expect(down.calls.at(-1)).toEqual({ id: 1, method: 'jobs.forget', params: { ref, unreachable: true } });
    const ended = fakeCtx({ 1: { 'jobs.get': rec({ state: 'exited', exitStatus: 0 }), 'jobs.forget': null } });
    await ended.api['job.forget']({ nodeId: 1, ref });
    expect(ended.calls.at(-1)).toEqual({ id: 1, method: 'jobs.forget', params: { ref } });
  });

  it('a copy started on another node is read again from its home: a program that could not run says so', async () => {
    const ref = { home: 1, id: 4194305 };
    const failed = rec({ ref, state: 'exited', where: 2, exitStatus: 127, startError: '/no/such: not found' });
    const { api } = fakeCtx({ 1: { 'jobs.start': [rec({ ref, state: 'away', where: 2 })], 'jobs.get': failed }, 2: {} });
    expect(await api['job.start']({ nodeId: 1, argv: ['/no/such'], cwd: '/tmp', mode: { kind: 'runon', node: 2 } })).toEqual([failed]);
  });

  it('the row of a job away in its home\'s list is no process there', async () => {
    const { api } = fakeCtx({ 1: { procs: [proc({ pid: 1234, where: 3, away: { home: 1, id: 1234 }, state: 'M' })], 'jobs.get': rec({ state: 'away', where: 3 }) } });
    expect((await api['job.status']({ nodeId: 1, pid: 1234 })).proc).toBeUndefined();
  });
});
