/**
 * The holes a review found in the migration protocol (issue "Never twice, never lost"),
 * each as one simulated schedule of the real protocol code: the fault, then what the admin
 * sees and where the job runs. Each failed on the protocol as it was before the fix.
 */
import { describe, expect, it } from 'vitest';
import { runPlan } from './sim/explore.js';
import type { Fault, StepKind } from './sim/world.js';

/** The step of the fault-free migration where `node` does `kind` (the n-th such, from 0). */
async function stepOf(node: number, kind: StepKind, what = '', nth = 0, precopy = false): Promise<number> {
  const base = await runPlan([], [], precopy);
  const hits = base.steps.filter((s) => s.node === node && s.kind === kind && s.what.includes(what));
  const s = hits[nth];
  if (!s) throw new Error(`the fault-free migration has no ${kind} "${what}" by node ${node}`);
  return s.n;
}

const at = (step: number, fault: Fault) => [{ step, fault }];

describe('migration holes, each closed', () => {
  it('SIGCONT on a job frozen by an uncertain commit is refused, saying why and when it settles; the job runs once', async () => {
    // The link is cut as the source sends the commit: neither the commit nor the status questions arrive.
    const r = await runPlan(at(await stepOf(1, 'net.request', 'mig.commit'), 'partition'), [
      { at: 18_000, fault: 'admin-cont@1' },
      { at: 19_000, fault: 'admin-stop@1' },
      { at: 19_500, fault: 'admin-renice@1' },
      { at: 19_800, fault: 'admin-kill@1' },
    ]);
    expect(r.outcome).toMatch(/^EUNCERTAIN: .*stays frozen until node 2 answers, so it never runs twice/);
    expect(r.adminReplies).toEqual([
      expect.stringMatching(/^CONT@1: EMOVING: cannot send SIGCONT to job 1\.100: it was handed to node 2, which has not confirmed it yet\. .*settles by itself as soon as node 2 is reachable/),
      expect.stringMatching(/^STOP@1: EMOVING: cannot send SIGSTOP to job 1\.100/),
      expect.stringMatching(/^RENICE@1: EMOVING: cannot renice job 1\.100/),
      expect.stringMatching(/^KILL@1: EMOVING: cannot send SIGKILL to job 1\.100/),
    ]);
    expect(r.violations).toEqual([]);
  });

  it('a target restarted after it committed answers from its commit log, even once the job has ended there', async () => {
    // Node 2 dies right after syncing the commit, before it could answer; back 3 s later it
    // resumes the job; the admin kills the job on node 2 before node 1 asks again.
    const r = await runPlan(at(await stepOf(2, 'disk.append', 'migrations-committed'), 'crash-after'), [{ at: 5000, fault: 'admin-kill@2' }]);
    expect(r.adminReplies).toEqual(['KILL@2: ok']);
    expect(r.log.join('\n')).toMatch(/node 2 confirmed it runs the job; the frozen copy here is gone/);
    // No copy is left: the frozen one on node 1 died instead of resuming as a second life of the job.
    expect(r.violations).toEqual([]);
  });

  it('a target that dies between its commit and the resume runs the job once it is back (never lost, never frozen)', async () => {
    const r = await runPlan(at(await stepOf(2, 'signal', 'SIGCONT'), 'crash-before'));
    expect(r.outcome).toMatch(/^EUNCERTAIN/);
    expect(r.log.join('\n')).toMatch(/committed before the agent restarted; it runs here now/);
    expect(r.violations).toEqual([]);
  });

  it('a target whose disk refuses the commit says so, and the source resumes the job', async () => {
    const r = await runPlan(at(await stepOf(2, 'disk.append', 'migrations-committed'), 'fail'));
    expect(r.outcome).toMatch(/^EMIGRATE: moving job 1\.100 to node 2 failed, so it goes on here on node 1: node 2 cannot record the commit in its state directory \(ENOSPC/);
    expect(r.violations).toEqual([]);
  });

  it('a source that cannot write its hand-over does not send the commit; the job goes on at the source', async () => {
    const r = await runPlan(at(await stepOf(1, 'disk.write', 'jobs/1.100', 1), 'fail'));
    expect(r.outcome).toMatch(/^EMIGRATE: .*goes on here on node 1: .*ENOSPC/);
    expect(r.steps.some((s) => s.what.startsWith('mig.commit'))).toBe(false);
    expect(r.violations).toEqual([]);
  });

  it('a full disk on the target during the transfer: the migration fails cleanly, the job goes on at the source', async () => {
    const r = await runPlan(at(await stepOf(2, 'transfer.write'), 'fail'));
    expect(r.outcome).toMatch(/^EMIGRATE: .*goes on here on node 1: .*disk for checkpoint images on node 2 is full/);
    expect(r.violations).toEqual([]);
  });

  it('a source that dies after its dump resumes the job when it is back; the target discards its images', async () => {
    const r = await runPlan(at(await stepOf(1, 'criu.dump'), 'crash-after'));
    expect(r.log.join('\n')).not.toMatch(/runs here now/);
    expect(r.violations).toEqual([]);
  });

  it('after pre-copy, a target that dies just after its restore leaves no stopped copy behind', async () => {
    const r = await runPlan(at(await stepOf(2, 'criu.restore', '', 0, true), 'crash-after'), [], true);
    expect(r.outcome).toMatch(/^EMIGRATE: .*goes on here on node 1/);
    expect(r.violations).toEqual([]);
  });

  it('pre-copy is chosen where the kernel tracks dirty pages, and the progress says so, round by round', async () => {
    const r = await runPlan([], [], true);
    expect(r.outcome).toBe('moved');
    const phases = r.progress.map((p) => (p.phase === 'pre-copy' ? `pre-copy ${p.round}` : p.phase));
    expect([...new Set(phases)]).toEqual(['checking', 'pre-copy 1', 'pre-copy 2', 'pre-copy 3', 'pre-copy 4', 'pre-copy 5', 'dumping', 'sending', 'restoring', 'committing', 'done']);
    expect(r.progress.find((p) => p.path)).toMatchObject({ path: 'pre-copy', why: expect.stringMatching(/tracks dirty pages/) });
    expect(r.progress.at(-1)).toMatchObject({ phase: 'done', freezeMs: expect.any(Number) });
  });

  it('one dump where the kernel does not track dirty pages, and the progress says why', async () => {
    const r = await runPlan([]);
    expect(r.progress.find((p) => p.path)).toMatchObject({ path: 'one dump', why: expect.stringMatching(/does not track dirty pages \(CONFIG_MEM_SOFT_DIRTY\)/) });
    expect(r.progress.some((p) => p.phase === 'pre-copy')).toBe(false);
  });

  it("a target whose image disk runs full while the memory streams in: the admin is told that, not just that the source's CRIU lost its page server", async () => {
    const r = await runPlan(at(await stepOf(2, 'pages.write'), 'fail'));
    expect(r.outcome).toMatch(/^EDUMP: moving job 1\.100 to node 2 failed at its checkpoint, so it goes on here on node 1: .*the disk for checkpoint images on node 2 is full/);
    expect(r.violations).toEqual([]);
  });
});
