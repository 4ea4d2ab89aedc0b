/**
 * The source's half of a migration alone, up to the commit: the order of its steps, and for
 * every failure before the target is told to run the job, that the job goes on here and the
 * admin hears why. The target is a scripted stand-in; what happens from the commit on is in
 * orchestrator.commit.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../shared/protocol/rpc.js';
import { jobRecord, PAGE_BYTES, runJob, STATE, testNode, type TestNode } from './migrationNode.test-util.js';
import { sourceNode, type PeerScript } from './migrationSides.test-util.js';
import { Orchestrator } from './orchestrator.js';

/** What the protocol did, without the commit-log appends (the target's business). */
const steps = (n: TestNode) => n.events.filter((e) => !e.startsWith('append'));

describe('a migration without faults', () => {
  it('checks, opens the page channel, freezes and dumps, sends, has the target restore, records the hand-over, commits, then kills the copy here', async () => {
    const { node, orch } = sourceNode();
    const { pid } = runJob(node);
    const moved = await orch.migrate({ ref: { home: 1, id: 100 } }, 2);
    expect(steps(node)).toEqual([
      'mig.facts', 'steps.checkMovable', 'mig.begin', 'openPages', 'steps.prepareDump', `criu dump ${pid}`, 'sendFiles',
      'mig.restore', 'steps.handOver', 'mig.commit', 'steps.killSource', `SIGKILL ${pid}`,
    ]);
    expect(moved).toMatchObject({ ref: { home: 1, id: 100 }, state: 'away', where: 2 });
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'away', where: 2, note: 'migrated to node 2' });
    expect(node.jobs.registry.get('1.100')).not.toHaveProperty('pendingCommit');
    expect(node.disk.list(`${STATE}/outgoing`)).toEqual([]);
  });

  it('the hand-over is on disk before the commit is sent; the restore carries the bytes the page channel took, the commit says from, to, how much and which way', async () => {
    let onDisk: unknown;
    const { node, orch, peer } = sourceNode({
      'mig.commit': () => {
        onDisk = JSON.parse(node.disk.read(`${STATE}/jobs/1.100.json`)!);
        return jobRecord({ pid: 900 });
      },
    });
    runJob(node);
    await orch.migrate({ pid: 100 }, 2);
    const id = (peer.sent.find((s) => s.method === 'mig.begin')!.params as { id: string }).id;
    expect(id).toBe(`1.100-1-${node.world.now}`);
    expect(onDisk).toMatchObject({ state: 'frozen', frozenBy: 'checkpoint', pendingCommit: { to: 2, id } });
    expect(peer.sent.find((s) => s.method === 'mig.restore')!.params).toMatchObject({ id, pages: { '': { bytes: PAGE_BYTES } } });
    expect(peer.sent.find((s) => s.method === 'mig.commit')!.params).toEqual({
      id, migration: { from: 1, to: 2, bytes: 4 + PAGE_BYTES, freezeMs: 0, path: 'one dump', phases: { dumpMs: 0, sendMs: 0, restoreMs: 0 }, by: 'admin' },
    });
  });

  it('a move the balancer started says so to the target and to the job\'s home (the migration monitor shows by whom)', async () => {
    const { node, orch, peer } = sourceNode();
    runJob(node, { ref: { home: 3, id: 7 } });
    await orch.migrate({ ref: { home: 3, id: 7 } }, 2, 'balancer');
    expect(peer.sent.find((s) => s.method === 'mig.commit')!.params).toMatchObject({ migration: { from: 1, to: 2, by: 'balancer' } });
    expect(peer.sent.find((s) => s.method === 'mig.moved')!.params).toMatchObject({ migration: { from: 1, to: 2, by: 'balancer' } });
  });

  it('a job of another home tells its home where it went; the images but the memory (streamed) go to the target under the migration id', async () => {
    const { node, orch, peer } = sourceNode();
    runJob(node, { ref: { home: 3, id: 7 } });
    await orch.migrate({ ref: { home: 3, id: 7 } }, 2);
    const id = (peer.sent.find((s) => s.method === 'mig.begin')!.params as { id: string }).id;
    expect(peer.sent.find((s) => s.method === 'sendFiles')).toMatchObject({ node: 2, params: { transfer: id, paths: [`${STATE}/outgoing/${id}/core.img`] } });
    expect(peer.sent.find((s) => s.method === 'openPages')).toMatchObject({ node: 2, params: { id } });
    expect(peer.sent.find((s) => s.method === 'mig.moved')).toMatchObject({ node: 3, params: { ref: { home: 3, id: 7 }, where: 2 } });
    expect(node.jobs.registry.get('3.7')).toBeUndefined(); // a guest that left is forgotten here
  });
});

describe('a failure before anything is frozen leaves the job untouched, and says so', () => {
  const cases: [string, PeerScript | ((n: TestNode) => void), string, RegExp][] = [
    ['the target cannot be reached', { 'mig.facts': () => { throw new RpcError('ECLOSED', 'connection to the agent of node 2 was lost'); } },
      'ECLOSED', /^job 1\.100 stays here on node 1, untouched: connection to the agent of node 2 was lost$/],
    ['the target refuses guests', { 'mig.begin': () => { throw new RpcError('EBLOCKED', 'node 2 blocks guest processes (mosctl block)'); } },
      'EBLOCKED', /^job 1\.100 stays here on node 1, untouched: node 2 blocks guest processes/],
    ['the job is locked', (n) => n.jobs.registry.update('1.100', { locked: true }),
      'ECANTMOVE', /^job 1\.100 cannot move to node 2: it is locked: unlock it first/],
  ];
  it.each(cases)('%s', async (_, fault, code, message) => {
    const { node, orch, peer } = sourceNode(typeof fault === 'object' ? fault : {});
    const before = runJob(node);
    if (typeof fault === 'function') fault(node);
    await expect(orch.migrate({ ref: before.ref }, 2)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(node.events.some((x) => x.startsWith('criu dump'))).toBe(false);
    expect(peer.sent.map((s) => s.method)).not.toContain('mig.restore');
    expect(node.procs.procs.get(before.pid!)).toBe('running');
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'running', where: 0 });
  });
});

describe('a failure after the freeze and before the commit: the job goes on here', () => {
  const cases: [string, PeerScript | ((n: TestNode) => void), string][] = [
    ['the images do not arrive', { sendFiles: () => Promise.reject(new Error('the disk for checkpoint images on node 2 is full')) },
      'the disk for checkpoint images on node 2 is full'],
    ['the target cannot restore', { 'mig.restore': () => { throw new RpcError('ERESTORE', 'Restore of the job failed on node 2: bad images'); } },
      'Restore of the job failed on node 2: bad images'],
    ['the hand-over cannot be written here', (n) => (n.disk.failWhen = (op, _p, text) => op === 'write' && text.includes('pendingCommit')),
      'ENOSPC: no space left on device (test)'],
  ];
  it.each(cases)('%s: resumed, recorded, the target told to drop its copy, the images removed, no commit sent', async (_, fault, why) => {
    const { node, orch, peer } = sourceNode(typeof fault === 'object' ? fault : {});
    const { pid } = runJob(node);
    if (typeof fault === 'function') fault(node);
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).rejects.toMatchObject({ code: 'EMIGRATE', message: `moving job 1.100 to node 2 failed, so it goes on here on node 1: ${why}` });
    expect(node.procs.procs.get(pid!)).toBe('running');
    const r = node.jobs.registry.get('1.100')!;
    expect(r).toMatchObject({ state: 'running', where: 0, note: `migration failed, the job goes on here: node 2: ${why}` });
    expect(r.frozenBy ?? r.pendingCommit ?? r.moving).toBeUndefined();
    expect(peer.sent.map((s) => s.method)).toContain('mig.abort');
    expect(peer.sent.map((s) => s.method)).not.toContain('mig.commit');
    expect(node.disk.list(`${STATE}/outgoing`)).toEqual([]);
    expect(node.events).not.toContain(`SIGKILL ${pid}`);
  });

  it('CRIU cannot dump it: it goes on here, the target is asked whether its page server failed first, and drops the migration it began', async () => {
    const { node, orch, peer } = sourceNode();
    const { pid } = runJob(node);
    node.criu.dumpError = 'Checkpoint of the job failed: no space for the images';
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).rejects.toMatchObject({
      code: 'EDUMP', message: 'moving job 1.100 to node 2 failed at its checkpoint, so it goes on here on node 1: Checkpoint of the job failed: no space for the images',
    });
    expect(node.procs.procs.get(pid!)).toBe('running');
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'running', note: 'migration failed, the job goes on here: Checkpoint of the job failed: no space for the images' });
    expect(peer.sent.map((s) => s.method)).toEqual(['mig.facts', 'mig.begin', 'openPages', 'mig.status', 'mig.abort']);
  });

  it('the target refuses the commit and says it does not have the job: it goes on here', async () => {
    const { node, orch } = sourceNode({
      'mig.commit': () => { throw new RpcError('ENOMIGRATION', 'migration is not waiting here (discarded or unknown): the source keeps the job'); },
      'mig.status': () => ({ phase: 'none' }),
    });
    const { pid } = runJob(node);
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).rejects.toMatchObject({
      code: 'EMIGRATE', message: 'moving job 1.100 to node 2 failed, so it goes on here on node 1: migration is not waiting here (discarded or unknown): the source keeps the job',
    });
    expect(node.procs.procs.get(pid!)).toBe('running');
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'running', note: 'migration failed, the job goes on here: node 2 did not take it (migration is not waiting here (discarded or unknown): the source keeps the job)' });
    expect(node.jobs.registry.get('1.100')).not.toHaveProperty('pendingCommit');
  });
});

describe('where to, and which job: the answers to the admin', () => {
  it('refuses what cannot be moved, naming what to do', async () => {
    const { node, orch } = sourceNode();
    runJob(node);
    const to = (dest: Parameters<Orchestrator['migrate']>[1], pid = 100) => orch.migrate({ pid }, dest).catch((e: RpcError) => `${e.code}: ${e.message}`);
    expect(await to(2, 4242)).toBe('ENOTJOB: process 4242 was not started with mosrun: only mosrun jobs can migrate');
    expect(await to('home')).toBe('EALREADY: job 1.100 already runs on node 1');
    expect(await to('best')).toBe('ENOBEST: no better node is known: the load exchange has no view of other nodes yet');
    expect(await to(1)).toBe('EALREADY: job 1.100 already runs on node 1');
    expect(await to(9)).toBe('ENONODE: there is no node 9 in the cluster map');
    expect(node.events).toEqual([]);
  });

  it('without a cluster it says how to get one', async () => {
    const node = testNode(1);
    runJob(node);
    const orch = new Orchestrator({ jobs: node.jobs, steps: node.steps, stateDir: STATE, link: () => undefined, clock: node.clock, bestNode: () => 2, restoreTimeoutMs: 1, log: () => {} });
    await expect(orch.migrate({ pid: 100 }, 2)).rejects.toMatchObject({ code: 'ENOCLUSTER', message: expect.stringMatching(/open the cluster in Mosixview, or run setpe -w -f MAP$/) });
  });

  it('a job away is moved by the node it runs on (its home forwards); one not started yet or ended is refused', async () => {
    const { node, orch, peer } = sourceNode({ 'mig.migrate': ({ ref }) => jobRecord({ ref, where: 0 }) });
    node.jobs.registry.put(jobRecord({ state: 'away', where: 3 }));
    node.jobs.registry.put(jobRecord({ ref: { home: 1, id: 101 }, state: 'pending', where: 2 }));
    node.jobs.registry.put(jobRecord({ ref: { home: 1, id: 102 }, state: 'exited', where: 2 }));
    await orch.migrate({ pid: 100 }, 'home');
    expect(peer.sent).toEqual([{ node: 3, method: 'mig.migrate', params: { ref: { home: 1, id: 100 }, to: 'home' } }]);
    await expect(orch.migrate({ ref: { home: 1, id: 101 } }, 3)).rejects.toMatchObject({ code: 'EBUSY', message: 'job 1.101 has not started yet' });
    await expect(orch.migrate({ ref: { home: 1, id: 102 } }, 3)).rejects.toMatchObject({ code: 'EGONE', message: 'job 1.102 is exited' });
  });
});

describe('one move of a job at a time', () => {
  it('a second move while the first is under way is refused, and the first goes through; then the job may move again', async () => {
    let restored!: () => void;
    const { node, orch, peer } = sourceNode({ 'mig.restore': () => new Promise((r) => (restored = () => r({ pid: 900, restoreMs: 150 }))) });
    runJob(node);
    const first = orch.migrate({ ref: { home: 1, id: 100 } }, 2);
    await node.settle();
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 3)).rejects.toMatchObject({ code: 'EBUSY', message: 'job 1.100 is being moved already: wait until that move has finished' });
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).rejects.toMatchObject({ code: 'EBUSY' });
    restored();
    await expect(first).resolves.toMatchObject({ where: 2 });
    expect(peer.sent.filter((s) => s.method === 'mig.begin')).toHaveLength(1);
  });

  it('a failed move frees the job for the next one', async () => {
    let fail = true;
    const { node, orch } = sourceNode({ sendFiles: async (t) => (fail ? Promise.reject(new Error('link lost')) : { bytes: 4100, dir: t }) });
    runJob(node);
    await expect(orch.migrate({ pid: 100 }, 2)).rejects.toMatchObject({ code: 'EMIGRATE' });
    fail = false;
    await expect(orch.migrate({ pid: 100 }, 2)).resolves.toMatchObject({ where: 2 });
  });

  it('while it is frozen for the move, the admin\'s signals and renice are refused, saying why', async () => {
    let restored!: () => void;
    const { node, orch } = sourceNode({ 'mig.restore': () => new Promise((r) => (restored = () => r({ pid: 900, restoreMs: 150 }))) });
    const { pid } = runJob(node);
    const move = orch.migrate({ ref: { home: 1, id: 100 } }, 2);
    await node.settle();
    const refused = /^cannot (send SIG(CONT|STOP|KILL) to|renice) job 1\.100: it is being moved to node 2 and is frozen meanwhile; try again once the move has finished or failed/;
    for (const sig of ['CONT', 'STOP', 'KILL'] as const) expect(() => node.jobs.signal({ pid: 100 }, sig)).toThrow(refused);
    expect(() => node.jobs.renice({ pid: pid! }, 5)).toThrow(refused);
    expect(node.events.filter((e) => /^(SIGCONT|SIGSTOP|renice)/.test(e))).toEqual([]);
    restored();
    await move;
  });
});
