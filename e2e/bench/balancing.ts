/**
 * The balancing core in the deterministic simulator: each workload shape with several seeds,
 * the three policies side by side. Results are simulated time, so they do not depend on the
 * machine; the run is exactly reproducible. Run: npx tsx e2e/bench/balancing.ts
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_DECIDE } from '../../shared/balancing/decide.js';
import { DEFAULT_SIM, simulate } from '../../shared/balancing/sim/engine.js';
import type { Policy, SimResult } from '../../shared/balancing/sim/model.js';
import { SHAPES } from '../../shared/balancing/sim/workloads.js';
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

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const f2 = (x: number): string => x.toFixed(2);

export function formatBalancing(rows: readonly BalancingRow[], seeds: readonly number[] = SEEDS): string {
  const shapes = [...new Map(rows.map((r) => [r.shape, r.description])).entries()];
  const lines = [
    `Simulated cluster (\`shared/balancing/sim\`), seeds ${seeds.join(', ')}; each cell is the mean over the seeds, with min-max for makespan / lower bound.`,
    `Lower bound = max(total work / total capacity, max over jobs of (arrival - first arrival + work / fastest core)); slowdown = turnaround / work (work in standard CPU-seconds, i.e. run time alone on a free speed-10000 CPU).`,
    `Balancing: margin ${DEFAULT_DECIDE.margin}, one decision per job per ${DEFAULT_DECIDE.jobIntervalMs / 1000} s, gossip every ${DEFAULT_SIM.gossipMs} ms, decisions every ${DEFAULT_SIM.decideMs} ms; migration freezes a job ${DEFAULT_SIM.freezeFixedMs} ms + its memory at ${DEFAULT_SIM.migrationKbPerS / 1024} MB/s. Command: \`npx tsx e2e/bench/balancing.ts\`.`,
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
  return `${formatBalancing(benchBalancing(seeds), seeds)}\n\n${machineLine()}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const md = balancingSection();
  console.log(md);
  writeBenchSection('balancing', `## ${BALANCING_TITLE}\n\n${md}`);
}
