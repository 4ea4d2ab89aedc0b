/**
 * The target after its agent restarts mid-migration: its commit log, not its memory or its
 * job records, says whether it took a job. A restored copy whose commit is logged runs; any
 * other goes, with what a restore left on disk; and the source asking about a migration
 * gets "running" only for a logged commit, "unknown" (never "none") for one older than the
 * log remembers.
 */
import { describe, expect, it } from 'vitest';
import { COMMIT_LOG } from './commitLog.js';
import { STATE, testNode } from './migrationNode.test-util.js';
import { received, restored, sentJob, targetNode } from './migrationSides.test-util.js';

const commitLog = `${STATE}/${COMMIT_LOG}`;

/** The agent of `t`'s node dies and a new one starts on the same disk and processes. */
function restart(t: ReturnType<typeof targetNode>) {
  const again = targetNode(testNode(t.node.id, t.node));
  again.side.recover();
  return again;
}

describe('a restart between restore and commit', () => {
  it('the commit was logged but the job not yet resumed: it runs now', async () => {
    const t = targetNode();
    const { id, pid } = await restored(t);
    t.node.disk.append(commitLog, `${id} ${t.node.world.now}\n`); // the agent died right after this
    const again = restart(t);
    expect(again.node.procs.procs.get(pid)).toBe('running');
    expect(again.node.jobs.registry.get('1.100')).toMatchObject({ state: 'running', pid, migrations: 1, note: 'migrated from node 1' });
    expect(again.node.log).toEqual(['job 1.100: its migration from node 1 was committed before the agent restarted; it runs here now']);
    expect(await again.status(id)).toBe('running');
  });

  it('no commit logged: the restored copy goes, and the source hears "none"', async () => {
    const t = targetNode();
    const { id, pid } = await restored(t);
    const again = restart(t);
    expect(again.node.procs.procs.has(pid)).toBe(false);
    expect(again.node.jobs.registry.get('1.100')).toBeUndefined();
    expect(await again.status(id)).toBe('none');
    await expect(again.call('mig.commit', { id, migration: { from: 1, to: 2, bytes: 0, freezeMs: 0 } })).rejects.toMatchObject({ code: 'ENOMIGRATION' });
  });

  it('no commit logged for a job coming home: its record goes back to "away" on the node that keeps it', async () => {
    const t = targetNode(testNode(1));
    const id = `1.100-3-${t.node.world.now}`;
    const job = sentJob(id, { moving: { id, from: 3, to: 1 } });
    await t.call('mig.begin', { id, job });
    t.node.disk.put(`${t.side.dirOf(id)}/core.img`, 'core');
    await t.call('mig.restore', { id, job });
    const again = restart(t);
    expect(again.node.jobs.registry.get('1.100')).toMatchObject({ state: 'away', where: 3 });
    expect(again.node.jobs.registry.get('1.100')).not.toHaveProperty('pid');
  });

  it('a commit logged but the restored copy gone: recorded as lost, not resumed', async () => {
    const t = targetNode();
    const { id, pid } = await restored(t);
    t.node.disk.append(commitLog, `${id} ${t.node.world.now}\n`);
    t.node.procs.procs.delete(pid);
    const again = restart(t);
    expect(again.node.jobs.registry.get('1.100')).toMatchObject({ state: 'lost', note: 'its restored copy was gone after the agent restarted (migration from node 1)' });
    expect(again.node.events).not.toContain(`SIGCONT ${pid}`);
  });

  it('a commit torn by the crash (no end of line) was never answered: not a commit', async () => {
    const t = targetNode();
    const { id, pid } = await restored(t);
    t.node.disk.append(commitLog, `${id} ${t.node.world.now}`);
    const again = restart(t);
    expect(again.node.procs.procs.has(pid)).toBe(false);
    expect(await again.status(id)).toBe('none');
  });
});

describe('what a restore left on disk', () => {
  it('a copy restored while the agent was down (its PID only in the images\' directory) is killed, and the images go', async () => {
    const t = targetNode();
    const id = await received(t);
    const dir = t.side.dirOf(id);
    const orphan = t.node.procs.spawn('stopped');
    t.node.disk.put(`${dir}/restored.pid`, `${orphan}\n`);
    const again = restart(t);
    expect(again.node.procs.procs.has(orphan)).toBe(false);
    expect(again.node.disk.has(dir)).toBe(false);
    expect(await again.status(id)).toBe('none');
  });

  it('a running process whose PID is in a restored.pid is left alone (the PID was reused); its images go', async () => {
    const t = targetNode();
    const id = await received(t);
    const dir = t.side.dirOf(id);
    const other = t.node.procs.spawn('running');
    t.node.disk.put(`${dir}/restored.pid`, `${other}\n`);
    const again = restart(t);
    expect(again.node.procs.procs.get(other)).toBe('running');
    expect(again.node.disk.has(dir)).toBe(false);
  });

  it('a restore still running (its log written in the last minute) is looked at again a minute later', async () => {
    const t = targetNode();
    const id = await received(t);
    const dir = t.side.dirOf(id);
    const log = `${dir}/restore.log`;
    t.node.disk.put(log, 'restoring\n');
    const written = t.node.world.now;
    t.node.disk.mtimeOf = (p) => (p === log ? written : 0);
    const again = restart(t);
    expect(again.node.disk.has(dir)).toBe(true);
    await again.node.advance(60_000);
    expect(again.node.disk.has(dir)).toBe(false);
  });

  it('a migration begun before the restart takes no images and no restore: the source resumes its own copy', async () => {
    const t = targetNode();
    const id = await received(t);
    const again = restart(t);
    expect(await again.status(id)).toBe('none');
    expect(() => again.side.dirOf(id)).toThrow(`no migration ${id} is waiting for its images on node 2`);
    await expect(again.call('mig.restore', { id, job: sentJob(id) })).rejects.toMatchObject({ code: 'ENOMIGRATION' });
  });
});

describe('how long the commit log answers', () => {
  it('an id older than what the log still holds is "unknown", never "none"; a newer one unknown to it is "none"', async () => {
    const t = targetNode();
    const horizon = t.node.world.now - 1000;
    t.node.disk.put(commitLog, `#horizon ${horizon}\n1.5-1-${horizon + 10} ${horizon + 20}\n`);
    const again = restart(t);
    expect(await again.status('1.5-1-' + (horizon + 10))).toBe('running');
    expect(await again.status('1.6-1-' + (horizon - 100))).toBe('unknown');
    expect(await again.status('1.6-1-' + (horizon + 25 * 3600_000))).toBe('none');
    expect(await again.status('1.6-1-notime')).toBe('unknown');
  });
});
