/**
 * "Never twice, never lost", proven by simulation of the real protocol code (orchestrator,
 * target side, local steps, job control, registry, commit log) with the network, the clock,
 * CRIU, the processes and the disks replaced by deterministic stand-ins that fail on demand:
 * every fault at every step of a migration, and a seeded sample of pairs of faults. After
 * every event at most one copy runs; once everything has settled exactly one does (none
 * when the admin killed it), on the newest state, recorded truthfully, and none stays frozen.
 */
import { describe, expect, it } from 'vitest';
import { explore, runPlan } from './sim/explore.js';

const SEED = Number(process.env.MOSIXVIEW_SIM_SEED) || 20261129;
const PAIRS = Number(process.env.MOSIXVIEW_SIM_PAIRS) || 600;

describe('migration protocol simulation', () => {
  it('a migration without faults moves the job in one go', async () => {
    const r = await runPlan([]);
    expect(r.violations).toEqual([]);
    expect(r.outcome).toBe('moved');
  });

  it('tells the metrics how each move ended: moved with its freeze time, or failed', async () => {
    const ok = await runPlan([]);
    expect(ok.moveOutcomes).toHaveLength(1);
    expect(ok.moveOutcomes[0]!.outcome).toBe('moved');
    expect((ok.moveOutcomes[0] as { freezeMs: number }).freezeMs).toBeGreaterThan(0);
    const restore = ok.steps.find((s) => s.kind === 'criu.restore')!;
    const failed = await runPlan([{ step: restore.n, fault: 'fail' }]);
    expect(failed.outcome).not.toBe('moved');
    expect(failed.moveOutcomes).toEqual([{ outcome: 'failed' }]);
  });

  it(`every single fault at every step, and ${PAIRS} pairs (seed ${SEED}): never twice, never lost`, async () => {
    const x = await explore({ pairs: PAIRS, seed: SEED });
    console.log(
      `migration simulation: ${JSON.stringify(x.baseSteps)} steps in a fault-free migration (one dump, pre-copy); ${x.singles} single-fault schedules, ` +
        `${x.pairs} fault pairs (seed ${SEED}); ${x.distinct} distinct schedules where every planned fault struck; outcomes ${JSON.stringify(x.outcomes)}`,
    );
    const shown = x.failures.slice(0, 5).map((f) => `plan ${JSON.stringify(f.plan)} (migrate: ${f.outcome}):\n  ${f.violations.join('\n  ')}`);
    expect(shown, `replay one with: npm run sim -- --plan '<plan>'`).toEqual([]);
    expect(x.singles).toBeGreaterThan(200);
  }, 300_000);
});
