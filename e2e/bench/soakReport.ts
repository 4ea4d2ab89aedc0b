/** The soak section of docs/BENCHMARKS.md (e2e/bench/soak.ts): what was run, for how long, and the figures. */
import { benchSoak } from './soak.js';
import { formatSoak, SOAK_NODES } from './soakFormat.js';
import { minutesArg } from './mainWindow.js';
import { machine, machineLine } from './report.js';

export { SOAK_TITLE } from './soakFormat.js';

export async function soakSection(argv: string[]): Promise<string> {
  const minutes = minutesArg(argv, 60);
  const m = machine();
  const r = await benchSoak(minutes);
  return [
    `**Measured:** a ${SOAK_NODES}-node test cluster (network namespaces with real sshd, e2e/cluster/testCluster.ts) watched by the`,
    'headless GUI (`node dist/electron/headless.cjs --no-open --profile P`) in Chromium (1200x800, one page, Autorefresh on), with',
    `the collector recording on node 1 (\`mosixcollector -d\`), for ${minutes} minutes after ${r.warmupS} s of warm-up once every node was up.`,
    '*Memory*: RSS of the main (headless) process from /proc, and the page\'s JS heap in use after a forced GC (CDP `HeapProfiler.collectGarbage`,',
    '`Runtime.getHeapUsage`), at the start and the end of the measured window. *CPU*: utime + stime from /proc/PID/stat of every agent',
    'daemon, every `attach` relay (the GUI\'s SSH session on a node it reaches through a relay), each node\'s sshd session processes',
    '(the GUI\'s connection, which forwards the daemon\'s socket) and the collector, over the measured window, in % of one core.',
    '*History*: the collector\'s records of the window read back with the agent\'s HistoryReader; a second with no record is missing.',
    '*Errors*: every entry of the main process\'s log file and output, each node\'s agent.log, the collector\'s log, and the page\'s',
    'console errors, warnings and uncaught exceptions, over the whole run.',
    '',
    '**Baseline:** an idle `node` process (`node -e "setInterval(() => {}, 1000)"`) started with the cluster, its CPU read the same way',
    'over the same window. Goals (issue 14): growth under 10 %, under 1 % of a core per agent, no second missing.',
    '',
    machineLine(m),
    '',
    ...(minutes < 60
      ? [`**This was a shortened run (${minutes} minutes).** The full hour: \`npm run bench -- --only soak\` (or \`--minutes 60\`).`, '']
      : []),
    formatSoak(r),
    '',
    'Reproduce (root, Linux): `npm run bench -- --only soak [--minutes N]` (60 minutes by default; not part of `npm test` nor of a plain',
    '`npm run bench`), or `node build/build.mjs && npx tsx e2e/bench/soak.ts [--minutes N]` to print the figures only.',
  ].join('\n');
}
