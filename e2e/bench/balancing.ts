/**
 * The balancing core in the deterministic simulator: each workload shape with several seeds,
 * the three policies side by side. Results are simulated time, so they do not depend on the
 * machine; the run is exactly reproducible. Run: npx tsx e2e/bench/balancing.ts
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_DECIDE } from '../../shared/balancing/decide.js';
import { DEFAULT_SIM, simulate } from '../../shared/balancing/sim/engine.js';
import type { Policy, SimResult } from '../../shared/balancing/sim/model.js';
import { NOISY_SETTING, noisyHogs, SHAPES } from '../../shared/balancing/sim/workloads.js';
import { machineLine, writeBenchSection } from './report.js';

export const SEEDS = [1, 2, 3, 4, 5];
const POLICIES: { policy: Policy; label: string }[] = [
  { policy: 'balance', label: 'balancing core' },
  { policy: 'none', label: 'no migration' },
  { policy: 'roundrobin', label: 'round-robin at arrival' },
];

export interface BalancingRow {
  shape: string;
  description: string;
  policy: Policy;
  label: string;
  results: SimResult[];
}

export function benchBalancing(seeds: readonly number[] = SEEDS): BalancingRow[] {
  const rows: BalancingRow[] = [];
  for (const shape of SHAPES) {
    for (const { policy, label } of POLICIES) {
      const results = seeds.map((seed) => simulate(shape(seed), policy, seed));
      const w = shape(seeds[0]!);
      rows.push({ shape: w.name, description: w.description, policy, label, results });
    }
  }
  return rows;
}

/** Issue 13's scenario: simulated minutes per run, seeds, and the admin's move in the third row. */
export const NOISY_S = 180;
export const NOISY_SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const ADMIN_MOVE = { atMs: 20_000, job: 1, to: 3 };

export interface NoisyRow {
  scenario: string;
  /** Automatic migrations per job in the run, one figure per seed (the admin's move not counted). */
  perJob: number[];
  /** What a balancer that never oscillates does: one hog stays, of two hogs one moves once. */
  ideal: number;
  /** Runs where no node ends with two hogs. */
  parted: number;
  description: string;
}

/** Migrations per job over NOISY_S simulated seconds with noisy loads, against the ideal count. */
export function benchNoisy(seeds: readonly number[] = NOISY_SEEDS): NoisyRow[] {
  const runs = (hogs: number, admin: boolean) =>
    seeds.map((seed) => {
      let last: ReadonlyMap<number, number> = new Map();
      const r = simulate(noisyHogs(seed, hogs), 'balance', seed, { maxTimeS: NOISY_S, observe: (_t, per) => void (last = per), ...(admin ? { adminMoves: [ADMIN_MOVE] } : {}) });
      const moves = Object.values(r.migrationsPerJob).reduce((a, b) => a + b, 0) - (admin ? 1 : 0);
      return { perJob: moves / hogs, parted: Math.max(...last.values()) <= 1 };
    });
  const row = (scenario: string, hogs: number, admin: boolean, ideal: number): NoisyRow => {
    const rs = runs(hogs, admin);
    return { scenario, perJob: rs.map((r) => r.perJob), ideal, parted: rs.filter((r) => r.parted).length, description: noisyHogs(1, hogs).description };
  };
  return [
    row('one hog', 1, false, 0),
    row('two hogs on one node', 2, false, 0.5),
    row(`one hog, moved by the admin to node ${ADMIN_MOVE.to} at ${ADMIN_MOVE.atMs / 1000} s`, 1, true, 0),
  ];
}

export function formatNoisy(rows: readonly NoisyRow[], seeds: readonly number[] = NOISY_SEEDS): string {
  const lines = [
    `**Noisy loads (issue 13):** CPU hogs started on node 1 (one or two, by row); ${NOISY_SETTING}. ${NOISY_S} simulated seconds per run, seeds 1-${seeds.length}.`,
    'Automatic migrations per job (the admin\'s own move not counted): mean and the most in any run. *Ideal* is what a balancer that never oscillates does.',
    '',
    '| scenario | migrations per job, mean | most in a run | ideal | runs where the hogs ended apart |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.scenario} | ${mean(r.perJob).toFixed(2)} | ${Math.max(...r.perJob).toFixed(1)} | ${r.ideal} | ${r.parted} of ${r.perJob.length} |`);
  }
  return lines.join('\n');
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const f2 = (x: number): string => x.toFixed(2);

export function formatBalancing(rows: readonly BalancingRow[], seeds: readonly number[] = SEEDS): string {
  const shapes = [...new Map(rows.map((r) => [r.shape, r.description])).entries()];
  const lines = [
    `Simulated cluster (\`shared/balancing/sim\`), seeds ${seeds.join(', ')}; each cell is the mean over the seeds, with min-max for makespan / lower bound.`,
    `Lower bound = max(total work / total capacity, max over jobs of (arrival - first arrival + work / fastest core)); slowdown = turnaround / work (work in standard CPU-seconds, i.e. run time alone on a free speed-10000 CPU).`,
    `Balancing: margin ${DEFAULT_DECIDE.margin}, noise floor ${DEFAULT_DECIDE.noiseFloor}, freeze estimated at ${DEFAULT_DECIDE.freezeFixedMs} ms + memory at ${DEFAULT_DECIDE.migrationKbPerS / 1024} MB/s over a ${DEFAULT_DECIDE.moveCooldownMs / 1000} s cooldown (${DEFAULT_DECIDE.adminHoldMs / 60_000} min after the admin's move), one decision per job per ${DEFAULT_DECIDE.jobIntervalMs / 1000} s, gossip every ${DEFAULT_SIM.gossipMs} ms, decisions every ${DEFAULT_SIM.decideMs} ms; migration freezes a job ${DEFAULT_SIM.freezeFixedMs} ms + its memory at ${DEFAULT_SIM.migrationKbPerS / 1024} MB/s. Command: \`npx tsx e2e/bench/balancing.ts\`.`,
    '',
    'Shapes:',
    ...shapes.map(([name, d]) => `- **${name}**: ${d}`),
    '',
    '| shape | policy | makespan / lower bound | mean slowdown | migrations |',
    '|---|---|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ratios = r.results.map((x) => x.makespan / x.lowerBound);
    const complete = r.results.every((x) => x.complete) ? '' : ' (time limit hit)';
    lines.push(
      `| ${r.shape} | ${r.label} | ${f2(mean(ratios))} (${f2(Math.min(...ratios))}-${f2(Math.max(...ratios))})${complete} | ${f2(mean(r.results.map((x) => x.meanSlowdown)))} | ${mean(r.results.map((x) => x.migrations)).toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

export const BALANCING_TITLE = 'Balancing core (simulated)';

/** The section body, for e2e/bench/run.ts or this file's own run. */
export function balancingSection(seeds: readonly number[] = SEEDS): string {
  // Simulated time does not depend on the machine; the line still dates the run.
  return `${formatBalancing(benchBalancing(seeds), seeds)}\n\n${formatNoisy(benchNoisy())}\n\n${machineLine()}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const md = balancingSection();
  console.log(md);
  writeBenchSection('balancing', `## ${BALANCING_TITLE}\n\n${md}`);
}
