/**
 * `npm run reliability [-- --only sim|mutations|matrix] [--pairs N] [--repeat N] [--from-rows --status N]`: the
 * migration's "never twice, never lost" evidence, written into docs/RELIABILITY.md (one
 * section each, like docs/BENCHMARKS.md):
 * - sim: the protocol simulation, every single fault at every step and N seeded fault pairs;
 * - mutations: the simulation against deliberately broken protocols (it must fail on each);
 * - matrix: the fault matrix over real CRIU on the test cluster, each fault repeated.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { explore } from '../../agent/migrate/sim/explore.js';
import { machineLine, writeBenchSection } from '../bench/report.js';
import { MATRIX_FILE, type MatrixRow } from '../support/faults.js';
import { runMutations } from './mutations.js';

const DOC = resolve('docs/RELIABILITY.md');
const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const only = opt('only');
const SEED = 20261129;

async function sim(): Promise<string> {
  const pairs = Number(opt('pairs') ?? 20_000);
  const t0 = Date.now();
  const x = await explore({ pairs, seed: SEED });
  const outcomes = Object.entries(x.outcomes).sort((a, b) => b[1] - a[1]).map(([o, n]) => `${o} ${n}`).join(', ');
  return [
    '## Simulation of the protocol',
    '',
    'The real orchestrator, target side, local steps, job control, job registry and commit log run against',
    'deterministic stand-ins for the network, the clock, CRIU, the processes and the disks (`agent/migrate/sim/`).',
    'A fault strikes at a numbered step (a message, a file write, a CRIU call, a signal): the acting agent crashes',
    'before or after it, the other agent crashes, the step fails (full disk, CRIU failure), a request or its answer is',
    'lost, the link is cut for 20 s, or an admin sends CONT, STOP, KILL, renice or a migration at that moment. Crashed',
    'agents come back 3 s later; then the run goes on for 3 simulated minutes. Checked after every event: at most one',
    'running copy, and no copy resumed from a stale state; at the end: exactly one copy (or none after an admin\'s',
    'KILL), not frozen, recorded truthfully on its node and at its home.',
    '',
    `- fault-free migrations: ${Object.entries(x.baseSteps).map(([k, v]) => `${k} ${v} steps`).join(', ')} (pre-copy with a CRIU stand-in whose kernel tracks dirty pages)`,
    `- single faults: ${x.singles} schedules (every fault that can strike each step)`,
    `- pairs of faults: ${x.pairs} (seed ${SEED}); ${x.distinct} schedules in all where every planned fault struck`,
    `- what \`migrate\` answered: ${outcomes}`,
    `- **violations: ${x.failures.length}**`,
    `- ${((Date.now() - t0) / 1000).toFixed(0)} s on ${machineLine()}`,
    '',
    `Reproduce: \`npm run reliability -- --only sim --pairs ${pairs}\`; replay one plan: \`npm run sim -- --plan '<json>'\`.`,
    `\`npm test\` runs the single faults and 600 pairs (agent/migrate/migration.sim.test.ts).`,
  ].join('\n');
}

function mutations(): string {
  const rows = runMutations();
  return [
    '## The simulation fails when the protocol is broken',
    '',
    'Each line breaks one safeguard in a scratch copy of the code and runs the simulation (600 pairs).',
    '',
    '| broken safeguard | simulation |',
    '|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.caught ? 'caught' : '**missed**'}: ${r.detail} |`),
    '',
    'Reproduce: `npm run reliability -- --only mutations`.',
  ].join('\n');
}

function matrix(): string {
  const repeat = Number(opt('repeat') ?? 4);
  const t0 = Date.now();
  // --from-rows: the rows a whole-suite run left (MOSIXVIEW_FAULT_REPEAT=N npm test), not a run of its own.
  const fromRows = argv.includes('--from-rows');
  if (!fromRows) rmSync(MATRIX_FILE, { force: true });
  const r = fromRows
    ? { status: Number(opt('status') ?? 0) }
    : spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', 'migrationFaults.spec'], {
        stdio: 'inherit',
        env: { ...process.env, MOSIXVIEW_FAULT_REPEAT: String(repeat) },
      });
  const rows: MatrixRow[] = existsSync(MATRIX_FILE) ? readFileSync(MATRIX_FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as MatrixRow) : [];
  const total = rows.reduce((a, x) => a + x.reps, 0);
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '## Fault matrix over real CRIU',
    '',
    'On the 4-node test cluster (network namespaces, real sshd, CRIU 4.1.1), a counting job (`e2e/support/jobs.ts`)',
    'on node 1 is migrated to node 3 with `migrate` while the fault strikes; agents are held at the exact moment by',
    'failpoints (`agent/migrate/failpoints.ts`, inert outside tests). After each repetition: exactly one running',
    'copy, the job still counting, and its output holding every count once and in order (a second copy or a stale',
    'one would print a number twice; a lost count leaves a gap).',
    '',
    '| fault | repetitions | outcome | lost | doubled | what the admin was told |',
    '|---|---|---|---|---|---|',
    ...rows.map((x) => `| ${x.fault} | ${x.reps} | ${Object.entries(x.outcomes).map(([o, n]) => `${o} ×${n}`).join(', ')} | ${x.lost} | ${x.doubled} | ${cell(Object.values(x.told)[0] ?? '')} |`),
    '',
    fromRows
      ? `${total} injected faults in ${rows.length} kinds, from the whole suite run with \`MOSIXVIEW_FAULT_REPEAT=${repeat} npm test\` (Playwright ${r.status === 0 ? 'passed' : `**failed (exit ${r.status})**`}) on ${machineLine()}.`
      : `${total} injected faults in ${rows.length} kinds; Playwright ${r.status === 0 ? 'passed' : `**failed (exit ${r.status})**`}; ${((Date.now() - t0) / 60000).toFixed(0)} min on ${machineLine()}.`,
    '',
    `Reproduce: \`npm run reliability -- --only matrix --repeat ${repeat}\` (needs root; \`npm test\` runs each fault once).`,
  ].join('\n');
}

async function main(): Promise<void> {
  if (!only || only === 'sim') writeBenchSection('sim', await sim(), DOC);
  if (!only || only === 'mutations') writeBenchSection('mutations', mutations(), DOC);
  if (!only || only === 'matrix') writeBenchSection('matrix', matrix(), DOC);
}

void main();
