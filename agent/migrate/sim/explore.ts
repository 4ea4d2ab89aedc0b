/**
 * Explores the migration protocol's schedules: the fault-free run, then every fault that
 * can strike each of its steps (one at a time), then a seeded random sample of pairs of
 * faults. Returns every failing plan with what went wrong, so a test can print it and a
 * developer can replay it (`npm run sim -- --plan '<json>'`).
 */
import { seededRng, pick } from '../../balance/rng.js';
import { SimCluster, type RunResult } from './simCluster.js';
import { faultsFor, type Fault, type PlannedFault, type StepKind } from './world.js';

export interface Failure {
  /** 'one dump' or 'pre-copy': which way the job moved (replay with --precopy for the second). */
  scenario: Scenario;
  plan: PlannedFault[];
  violations: string[];
  outcome: string;
}

export type Scenario = 'one dump' | 'pre-copy';
export const SCENARIOS: Scenario[] = ['one dump', 'pre-copy'];

export interface Exploration {
  /** Steps of the fault-free migration, per scenario. */
  baseSteps: Record<string, number>;
  singles: number;
  pairs: number;
  /** Runs whose every planned fault struck (a fault planned for a step that never came does not count). */
  distinct: number;
  failures: Failure[];
  outcomes: Record<string, number>;
}

export async function runPlan(plan: PlannedFault[], adminAt: { at: number; fault: Fault }[] = [], precopy = false): Promise<RunResult> {
  return new SimCluster(plan, adminAt, precopy).run();
}

function summarize(outcome: string): string {
  return outcome.replace(/job 1\.100.*$/, '').replace(/: .*$/, '').trim() || outcome;
}

/** Every single fault at every step, then `pairs` seeded pairs, for each way a job can move. */
export async function explore(opts: { pairs: number; seed: number }): Promise<Exploration> {
  const x: Exploration = { baseSteps: {}, singles: 0, pairs: 0, distinct: 0, failures: [], outcomes: {} };
  const rng = seededRng(opts.seed);
  for (const scenario of SCENARIOS) {
    const precopy = scenario === 'pre-copy';
    const base = await runPlan([], [], precopy);
    x.baseSteps[scenario] = base.steps.length;
    const record = (plan: PlannedFault[], r: RunResult) => {
      if (r.fired.length === plan.length) x.distinct++;
      const o = summarize(r.outcome);
      x.outcomes[o] = (x.outcomes[o] ?? 0) + 1;
      if (r.violations.length) x.failures.push({ scenario, plan, violations: r.violations, outcome: r.outcome });
    };
    record([], base);
    for (const s of base.steps) {
      for (const fault of faultsFor(s.kind)) {
        const plan = [{ step: s.n, fault }];
        record(plan, await runPlan(plan, [], precopy));
        x.singles++;
      }
    }
    // Pairs: the second fault strikes a step of the run the first one changed.
    const kinds: StepKind[] = ['net.request', 'net.sendFiles', 'net.openPages', 'transfer.write', 'pages.write', 'disk.write', 'disk.append', 'criu.dump', 'criu.restore', 'signal'];
    const anyFault = (): Fault => pick(rng, faultsFor(pick(rng, kinds)));
    for (let i = 0; i < Math.ceil(opts.pairs / SCENARIOS.length); i++) {
      const first = Math.floor(rng() * base.steps.length);
      const second = first + 1 + Math.floor(rng() * 25);
      const plan = [{ step: first, fault: pick(rng, faultsFor(base.steps[first]!.kind)) }, { step: second, fault: anyFault() }];
      record(plan, await runPlan(plan, [], precopy));
      x.pairs++;
    }
  }
  return x;
}
