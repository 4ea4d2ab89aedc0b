/**
 * The target's half of a migration alone, served as the peer layer serves it: it takes
 * images only for a migration begun here, restores them stopped, and runs the job only on a
 * commit it has written to its commit log first; anything else discards its copy, so the
 * source may resume its own. The source is the test, sending what node 1 would.
 */
import { describe, expect, it } from 'vitest';
import { COMMIT_LOG } from './commitLog.js';
import { STATE } from './migrationNode.test-util.js';
import { received, restored, sentJob, targetNode } from './migrationSides.test-util.js';
import { COMMIT_WAIT_MS } from './targetSide.js';

const commitLog = `${STATE}/${COMMIT_LOG}`;
const migration = { from: 1, to: 2, bytes: 4100, freezeMs: 300 };

describe('a migration without faults, seen by the target', () => {
  it('begun, received, restored stopped, committed: the commit is on disk before the job runs and before the answer', async () => {
    const t = targetNode();
    const id = await received(t);
    expect(await t.status(id)).toBe('receiving');
    const { pid } = await t.call('mig.restore', { id, job: sentJob(id) });
    expect(t.node.procs.procs.get(pid)).toBe('stopped');
    expect(t.node.jobs.registry.get('1.100')).toMatchObject({ state: 'frozen', frozenBy: 'restore', pid, moving: { id, from: 1, to: 2 } });
    expect(await t.status(id)).toBe('restored');
    t.node.events.length = 0;
    const answer = await t.call('mig.commit', { id, migration });
    expect(t.node.events).toEqual(['steps.restoredAlive', `append ${COMMIT_LOG}`, 'steps.resumeRestored', `SIGCONT ${pid}`]);
    expect(t.node.disk.read(commitLog)).toBe(`${id} ${t.node.world.now}\n`);
    expect(answer).toMatchObject({ state: 'running', where: 0, pid, migrations: 1, lastMigration: { ...migration, at: t.node.world.now }, note: 'migrated from node 1' });
    expect(answer).not.toHaveProperty('frozenBy');
    expect(await t.status(id)).toBe('running');
    expect(t.node.disk.list(`${STATE}/incoming`)).toEqual([]);
  });

  it('a job the admin had stopped arrives stopped and stays so', async () => {
    const t = targetNode();
    const { id, pid } = await restored(t, { stateBeforeFreeze: 'stopped' });
    await expect(t.call('mig.commit', { id, migration })).resolves.toMatchObject({ state: 'stopped' });
    expect(t.node.procs.procs.get(pid)).toBe('stopped');
  });
});

describe('what the target takes', () => {
  it('images only under a well-formed migration id, inside its state directory', async () => {
    const t = targetNode();
    for (const bad of ['../../etc', '1.100-1-5/x', '', 'a b']) expect(() => t.side.dirOf(bad)).toThrow(`bad migration id "${bad}"`);
    const id = await received(t);
    expect(t.side.dirOf(id)).toBe(`${STATE}/incoming/${id}`);
  });

  it('images only for a migration begun here and still waiting for them', async () => {
    const t = targetNode();
    expect(() => t.side.dirOf('1.100-1-5')).toThrow('no migration 1.100-1-5 is waiting for its images on node 2 (was it begun, or did the agent restart since?)');
    const { id } = await restored(t);
    expect(() => t.side.dirOf(id)).toThrow(`no migration ${id} is waiting for its images on node 2`);
    await t.call('mig.abort', { id });
    expect(() => t.side.dirOf(id)).toThrow(`no migration ${id} is waiting for its images on node 2`);
    expect(t.node.disk.list(`${STATE}/incoming`)).toEqual([]);
  });

  it('a node that blocks guests refuses them, but takes its own jobs home', async () => {
    const t = targetNode(undefined, { blocksGuests: true });
    await expect(t.call('mig.begin', { id: '1.100-1-5', job: sentJob('1.100-1-5') })).rejects.toMatchObject({ code: 'EBLOCKED', message: 'node 2 blocks guest processes (mosctl block)' });
    await expect(t.call('mig.begin', { id: '2.7-1-5', job: sentJob('2.7-1-5', { ref: { home: 2, id: 7 } }) })).resolves.toBeNull();
  });

  it('a restore only for a migration begun here and not restored yet', async () => {
    const t = targetNode();
    await expect(t.call('mig.restore', { id: '1.100-1-5', job: sentJob('1.100-1-5') })).rejects.toMatchObject({ code: 'ENOMIGRATION', message: 'no migration 1.100-1-5 is waiting for its restore here' });
    const { id } = await restored(t);
    await expect(t.call('mig.restore', { id, job: sentJob(id) })).rejects.toMatchObject({ code: 'ENOMIGRATION' });
    expect(t.node.events.filter((e) => e === 'criu restore')).toHaveLength(1);
  });

  it('a restore that fails is reported; the images go and nothing is left to commit', async () => {
    const t = targetNode();
    const id = await received(t);
    t.node.criu.restoreError = 'Restore of the job failed on node 2: bad images';
    await expect(t.call('mig.restore', { id, job: sentJob(id) })).rejects.toMatchObject({ code: 'ERESTORE', message: 'Restore of the job failed on node 2: bad images' });
    expect(t.node.disk.list(`${STATE}/incoming`)).toEqual([]);
    expect(t.node.jobs.registry.get('1.100')).toBeUndefined();
    expect(await t.status(id)).toBe('none');
    await expect(t.call('mig.commit', { id, migration })).rejects.toMatchObject({ code: 'ENOMIGRATION' });
  });

  it('a migration called off during its restore: the restore fails and the restored copy goes', async () => {
    const t = targetNode();
    const id = await received(t);
    let done!: () => void;
    t.node.criu.restoreGate = new Promise((r) => (done = r));
    const restoring = t.call('mig.restore', { id, job: sentJob(id) });
    await t.node.settle();
    await t.call('mig.abort', { id });
    done();
    await expect(restoring).rejects.toMatchObject({ code: 'ENOMIGRATION', message: `migration ${id} was called off during its restore` });
    expect(t.node.procs.procs.size).toBe(0);
    expect(t.node.jobs.registry.get('1.100')).toBeUndefined();
  });
});

describe('the commit', () => {
  it('a commit answered before is answered again, without running the job a second time', async () => {
    const t = targetNode();
    const { id } = await restored(t);
    const first = await t.call('mig.commit', { id, migration });
    const signals = t.node.events.length;
    await expect(t.call('mig.commit', { id, migration })).resolves.toEqual(first);
    expect(t.node.events.length).toBe(signals);
    expect(t.node.disk.read(commitLog)!.split('\n').filter(Boolean)).toHaveLength(1);
    // Once the job has ended here, the log still says it was committed: never "no".
    t.node.jobs.registry.remove('1.100');
    await expect(t.call('mig.commit', { id, migration })).rejects.toMatchObject({ code: 'ECOMMITTED', message: `migration ${id} was committed here earlier` });
    expect(await t.status(id)).toBe('running');
  });

  it('a commit for a migration unknown, not restored yet, or called off is refused: the source keeps the job', async () => {
    const t = targetNode();
    await expect(t.call('mig.commit', { id: '1.100-1-5', migration })).rejects.toMatchObject({ code: 'ENOMIGRATION', message: 'migration 1.100-1-5 is not waiting here (discarded or unknown): the source keeps the job' });
    const id = await received(t);
    await expect(t.call('mig.commit', { id, migration })).rejects.toMatchObject({ code: 'ENOMIGRATION' });
    await t.call('mig.restore', { id, job: sentJob(id) });
    await t.call('mig.abort', { id });
    await expect(t.call('mig.commit', { id, migration })).rejects.toMatchObject({ code: 'ENOMIGRATION' });
    expect(t.node.disk.read(commitLog)).toBeUndefined();
    expect(t.node.procs.procs.size).toBe(0);
    expect(await t.status(id)).toBe('none');
  });

  it('a commit the disk does not take is refused, and the restored copy goes', async () => {
    const t = targetNode();
    const { id, pid } = await restored(t);
    t.node.disk.failWhen = (op) => op === 'append';
    await expect(t.call('mig.commit', { id, migration })).rejects.toMatchObject({
      code: 'ESTATE', message: 'node 2 cannot record the commit in its state directory (ENOSPC: no space left on device (test)): the source keeps the job',
    });
    expect(t.node.events).not.toContain(`SIGCONT ${pid}`);
    expect(t.node.procs.procs.has(pid)).toBe(false);
    expect(await t.status(id)).toBe('none');
  });

  it('a restored copy that died before the commit: refused, nothing committed', async () => {
    const t = targetNode();
    const { id, pid } = await restored(t);
    t.node.procs.procs.delete(pid);
    await expect(t.call('mig.commit', { id, migration })).rejects.toMatchObject({ code: 'EGONE', message: 'the restored copy of job 1.100 is gone from node 2: the source keeps the job' });
    expect(t.node.disk.read(commitLog)).toBeUndefined();
    expect(await t.status(id)).toBe('none');
  });
});

describe('waiting has limits', () => {
  it('a restored copy waits for its commit so long, then goes; a late commit is refused', async () => {
    const t = targetNode();
    const { id, pid } = await restored(t);
    await t.node.advance(COMMIT_WAIT_MS - 1);
    expect(await t.status(id)).toBe('restored');
    await t.node.advance(1);
    expect(t.node.procs.procs.has(pid)).toBe(false);
    expect(await t.status(id)).toBe('none');
    await expect(t.call('mig.commit', { id, migration })).rejects.toMatchObject({ code: 'ENOMIGRATION' });
  });

  it('images from a source that never asks for the restore go after ten minutes', async () => {
    const t = targetNode();
    const id = await received(t);
    await t.node.advance(10 * 60_000);
    expect(await t.status(id)).toBe('none');
    expect(t.node.disk.list(`${STATE}/incoming`)).toEqual([]);
  });

  it('a new migration of the job supersedes one still waiting for its commit', async () => {
    const t = targetNode();
    const first = await restored(t);
    await t.node.advance(1000);
    const second = await received(t);
    expect(t.node.procs.procs.has(first.pid)).toBe(false);
    expect(await t.status(first.id)).toBe('none');
    expect(await t.status(second)).toBe('receiving');
  });
});
