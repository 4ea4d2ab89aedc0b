/**
 * The source's half of a migration from the commit on: once the target may have been told
 * to run the job, the frozen copy here never resumes unless the target says it does not run
 * it; it dies once the target says it does; and until the target answers it stays frozen,
 * refusing the admin's signals, across restarts of this agent. The target is a scripted
 * stand-in whose answer to "do you run it?" each test sets.
 */
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { MigrationPhase } from '../../shared/protocol/peerJobs.js';
import { jobRecord, runJob, STATE, testNode, type TestNode } from './migrationNode.test-util.js';
import { sourceNode } from './migrationSides.test-util.js';
import { SETTLE_RETRY_MS } from './orchestrator.js';

type Status = MigrationPhase | 'none' | 'unknown' | 'unreachable';

/**
 * A source whose commit gets no answer (the first `lose` of them; a commit that arrives makes
 * the target run the job); the target's answer to "do you run it?" is `target.status`.
 */
function lostCommit(node: TestNode = testNode(1)) {
  const target: { status: Status; lose: number } = { status: 'unreachable', lose: Infinity };
  const lost = () => new RpcError('ETIMEDOUT', 'no answer from node 2 within 30 s');
  const s = sourceNode({
    'mig.commit': () => {
      if (target.lose-- > 0) throw lost();
      target.status = 'running';
      return jobRecord({ pid: 900, migrations: 1 });
    },
    'mig.status': () => {
      if (target.status === 'unreachable') throw lost();
      return { phase: target.status };
    },
  }, node);
  const asked = () => s.peer.sent.filter((x) => x.method === 'mig.status').length;
  return { ...s, target, asked };
}

const resumed = (n: TestNode) => n.events.filter((e) => e.startsWith('SIGCONT'));

describe('the commit answer is lost', () => {
  it('the target says it runs the job: the move succeeded, the copy here dies and never resumes', async () => {
    const { node, orch, target } = lostCommit();
    target.status = 'running';
    const { pid } = runJob(node);
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).resolves.toMatchObject({ where: 2, state: 'away' });
    expect(node.procs.procs.has(pid!)).toBe(false);
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'away', where: 2 });
    expect(resumed(node)).toEqual([]);
  });

  it('the target cannot be asked: the admin hears it is uncertain, and the copy here stays frozen, refusing signals', async () => {
    const { node, orch } = lostCommit();
    const { pid } = runJob(node);
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).rejects.toMatchObject({
      code: 'EUNCERTAIN',
      message: 'job 1.100 was handed to node 2, which did not confirm: the copy here stays frozen until node 2 answers, so it never runs twice (it settles by itself; mps shows where it runs)',
    });
    expect(node.procs.procs.get(pid!)).toBe('stopped');
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'frozen', pendingCommit: { to: 2 } });
    const refused = /^cannot (send SIG(CONT|STOP|KILL) to|renice) job 1\.100: it was handed to node 2, which has not confirmed it yet\. .*settles by itself as soon as node 2 is reachable$/;
    for (const sig of ['CONT', 'STOP', 'KILL'] as const) expect(() => node.jobs.signal({ pid: 100 }, sig)).toThrow(refused);
    expect(() => node.jobs.renice({ pid: 100 }, 5)).toThrow(refused);
    expect(node.log).toEqual([expect.stringMatching(/^job 1\.100: no answer to the commit from node 2 \(.*\); keeping it frozen until node 2 says whether it runs it$/)]);
  });

  it('the target is back after ten minutes and runs the job: asked every few seconds meanwhile, never resumed here, then gone', async () => {
    const { node, orch, target, asked } = lostCommit();
    const { pid } = runJob(node);
    await orch.migrate({ ref: { home: 1, id: 100 } }, 2).catch(() => undefined);
    await node.advance(10 * 60_000);
    expect(node.procs.procs.get(pid!)).toBe('stopped');
    expect(asked()).toBe(1 + 1 + (10 * 60_000) / SETTLE_RETRY_MS);
    target.status = 'running';
    await node.advance(SETTLE_RETRY_MS);
    expect(node.procs.procs.has(pid!)).toBe(false);
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'away', where: 2 });
    expect(node.jobs.registry.get('1.100')).not.toHaveProperty('pendingCommit');
    expect(node.log.at(-1)).toBe('job 1.100: node 2 confirmed it runs the job; the frozen copy here is gone');
    expect(resumed(node)).toEqual([]);
    await node.advance(10 * SETTLE_RETRY_MS);
    expect(asked()).toBe(1 + 1 + (10 * 60_000) / SETTLE_RETRY_MS + 1); // settled: asked no more
  });

  it('the target never got the commit (its copy waits, restored): the same commit is sent again, and then it runs there', async () => {
    const { node, orch, target, peer } = lostCommit();
    const { pid } = runJob(node);
    target.status = 'restored';
    target.lose = 1;
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).rejects.toMatchObject({ code: 'EUNCERTAIN' });
    await node.settle();
    const commits = peer.sent.filter((x) => x.method === 'mig.commit').map((x) => (x.params as { id: string }).id);
    expect(commits).toHaveLength(2);
    expect(commits[1]).toBe(commits[0]);
    await node.advance(SETTLE_RETRY_MS);
    expect(node.procs.procs.has(pid!)).toBe(false);
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'away', where: 2 });
  });

  it('a resent commit that fails at once is retried every few seconds, not in a loop', async () => {
    const { node, orch, target, peer } = lostCommit();
    runJob(node);
    target.status = 'restored';
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).rejects.toMatchObject({ code: 'EUNCERTAIN' });
    await node.advance(10 * SETTLE_RETRY_MS);
    const commits = peer.sent.filter((x) => x.method === 'mig.commit').length;
    // The first commit, one resend at once, then one per retry interval.
    expect(commits).toBeLessThanOrEqual(1 + 1 + 10);
    expect(commits).toBeGreaterThanOrEqual(1 + 10);
  });

  it('a second move of a job still frozen by an unconfirmed hand-over is refused before the target hears of it', async () => {
    const { node, orch, peer } = lostCommit();
    runJob(node);
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 2)).rejects.toMatchObject({ code: 'EUNCERTAIN' });
    const sentBefore = peer.sent.filter((x) => x.method !== 'mig.status').length;
    await expect(orch.migrate({ ref: { home: 1, id: 100 } }, 3)).rejects.toMatchObject({
      code: 'EMOVING',
      message: expect.stringMatching(/^cannot move job 1\.100: it was handed to node 2, which has not confirmed it yet/),
    });
    // Nothing went to any target: a mig.begin there would have discarded the first move's copy.
    expect(peer.sent.filter((x) => x.method !== 'mig.status').length).toBe(sentBefore);
  });

  it('the target says it does not have the job: only then the copy here resumes, with a note', async () => {
    const { node, orch, target } = lostCommit();
    const { pid } = runJob(node);
    await orch.migrate({ ref: { home: 1, id: 100 } }, 2).catch(() => undefined);
    await node.advance(3 * SETTLE_RETRY_MS);
    expect(resumed(node)).toEqual([]);
    target.status = 'none';
    await node.advance(SETTLE_RETRY_MS);
    expect(node.procs.procs.get(pid!)).toBe('running');
    expect(node.jobs.registry.get('1.100')).toMatchObject({ state: 'running', where: 0, note: 'migration failed, the job goes on here: node 2 did not take the job' });
    expect(node.jobs.registry.get('1.100')).not.toHaveProperty('pendingCommit');
    expect(node.disk.list(`${STATE}/outgoing`)).toEqual([]);
  });

  it('the target no longer knows (older than its commit log): the copy stays frozen, and the job\'s note tells the admin where to look', async () => {
    const { node, orch, target } = lostCommit();
    const { pid } = runJob(node);
    target.status = 'unknown';
    await orch.migrate({ ref: { home: 1, id: 100 } }, 2).catch(() => undefined);
    await node.advance(20 * SETTLE_RETRY_MS);
    expect(node.procs.procs.get(pid!)).toBe('stopped');
    expect(resumed(node)).toEqual([]);
    expect(node.jobs.registry.get('1.100')).toMatchObject({
      state: 'frozen',
      note: expect.stringMatching(/^node 2 no longer knows whether it took this job \(migration 1\.100-1-\d+ is older than its commit log\): it stays frozen here; check node 2's process list$/),
    });
  });
});

describe('after a restart of the source', () => {
  it('a hand-over on disk is settled by asking the target, never by resuming first; one question at a time', async () => {
    const first = lostCommit();
    const { pid } = runJob(first.node);
    await first.orch.migrate({ ref: { home: 1, id: 100 } }, 2).catch(() => undefined);
    // The agent dies; a new one starts on the same disk, with the same processes.
    const again = lostCommit(testNode(1, first.node));
    again.node.steps.recover();
    again.orch.resumePending();
    again.orch.resumePending();
    await again.node.advance(5 * SETTLE_RETRY_MS);
    expect(again.asked()).toBe(6);
    expect(again.node.procs.procs.get(pid!)).toBe('stopped');
    again.target.status = 'running';
    await again.node.advance(SETTLE_RETRY_MS);
    expect(again.node.procs.procs.has(pid!)).toBe(false);
    expect(again.node.jobs.registry.get('1.100')).toMatchObject({ state: 'away', where: 2 });
    expect(resumed(again.node)).toEqual([]);
  });

  it('a frozen job the target was never told about goes on here at once', async () => {
    const first = sourceNode({ sendFiles: () => new Promise(() => {}) });
    const { pid } = runJob(first.node);
    void first.orch.migrate({ ref: { home: 1, id: 100 } }, 2);
    await first.node.settle();
    expect(first.node.jobs.registry.get('1.100')).toMatchObject({ state: 'frozen' });
    const again = lostCommit(testNode(1, first.node));
    again.node.steps.recover();
    again.orch.resumePending();
    await again.node.settle();
    expect(again.node.procs.procs.get(pid!)).toBe('running');
    expect(again.asked()).toBe(0);
  });
});
