/**
 * `npm run bench [-- --only NAME] [--minutes N]` (--minutes: the length of mainwindow, default 3, or of soak,
 * default 60; soak runs only when asked for by --only): runs the benchmarks and rewrites their sections of
 * docs/BENCHMARKS.md (see report.ts). Expects a fresh `node build/build.mjs` (npm run bench
 * does it). Sections of benchmarks not run here are left as they are.
 */
import { benchSampleCost, formatSampleCost } from './sampleCost.js';
import { STARTUP_TITLE, startupSection } from './startupReport.js';
import { BENCHMARKS_MD, machine, machineLine, writeBenchSection } from './report.js';
import { BALANCING_TITLE, balancingSection } from './balancing.js';
import { MIGRATION_TITLE, migrationSection } from './migrationReport.js';
import { HISTORY_TITLE, benchHistory, historySection } from './history.js';
import { benchMainWindow, minutesArg } from './mainWindow.js';
import { MAINWINDOW_TITLE, mainWindowSection } from './mainWindowReport.js';
import { SOAK_TITLE, soakSection } from './soakReport.js';

interface Bench {
  title: string;
  /** Markdown for the section, results included. */
  run(): Promise<string>;
  /** Too long for a plain `npm run bench`: runs with --only NAME alone. */
  onlyWhenAsked?: boolean;
}

const BENCHES: Record<string, Bench> = {
  balancing: { title: BALANCING_TITLE, run: async () => balancingSection() },
  migration: { title: MIGRATION_TITLE, run: migrationSection },
  // historySection carries its own heading: strip it, run() adds the title.
  history: { title: HISTORY_TITLE, run: async () => historySection(await benchHistory()).replace(/^## [^\n]*\n\n/, '') },
  mainwindow: { title: MAINWINDOW_TITLE, run: async () => mainWindowSection(await benchMainWindow(minutesArg(process.argv.slice(2)))) },
  'sample-cost': {
    title: 'Agent sample vs ps',
    async run() {
      const m = machine();
      const r = await benchSampleCost();
      return [
        `**Measured:** one \`Sampler.sample()\` of the agent (every process's pid, user, state, CPU, RSS, nice, command,`,
        `and the schedstat of every thread of each process that ran in the interval, for its runnable time; and the disk and network counters of /proc/diskstats and /proc/net/dev)`,
        `on this machine with 1,000 extra sleeping processes and ${r.active} active Node.js processes (each runs ~15 ms a second,`,
        `so all ${r.activeThreads} of their threads are read every sample), samples 1 s apart as in the agent, warm`,
        `(owners cached, code optimised), ${r.runs} runs. Whatever else runs on the machine is sampled too.`,
        '',
        `**Baseline:** spawning \`ps -eo pid,user,stat,pcpu,rss,ni,comm\` and reading all its output, alternated with the agent sample in the same run.`,
        '',
        machineLine(m),
        '',
        formatSampleCost(r),
        '',
        'Reproduce: `npm run bench -- --only sample-cost` (or `npx tsx e2e/bench/sampleCost.ts` to print the table only).',
      ].join('\n');
    },
  },
  startup: { title: STARTUP_TITLE, run: () => startupSection() },
  soak: { title: SOAK_TITLE, run: () => soakSection(process.argv.slice(2)), onlyWhenAsked: true },
};

function parseArgs(argv: string[]): string[] {
  const i = argv.indexOf('--only');
  if (i < 0) return Object.keys(BENCHES).filter((n) => !BENCHES[n]!.onlyWhenAsked);
  const name = argv[i + 1];
  if (!name || !BENCHES[name]) {
    throw new Error(`--only needs one of: ${Object.keys(BENCHES).join(', ')}${name ? ` (got "${name}")` : ''}`);
  }
  return [name];
}

async function main(): Promise<void> {
  const names = parseArgs(process.argv.slice(2));
  for (const name of names) {
    const b = BENCHES[name]!;
    process.stderr.write(`bench: ${name} ...\n`);
    const body = await b.run();
    writeBenchSection(name, `## ${b.title}\n\n${body}`);
    process.stdout.write(`${body}\n\n`);
  }
  process.stderr.write(`bench: wrote ${names.join(', ')} to ${BENCHMARKS_MD}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
