/**
 * The start-up section's tables: for each cluster size, the app's cold and warm starts against
 * the fan-out, then where the time and the CPU went (e2e/bench/startup.ts measures them).
 */
import { median } from './report.js';
import { CPU_GROUPS } from './cpuByGroup.js';
import { PHASE_NAMES, type StartPhases } from '../../electron/core/startPhases.js';
import { REPS, type AppRun, type StartupResult } from './startup.js';

const CPU_LABELS: Record<(typeof CPU_GROUPS)[number], string> = {
  daemons: 'the agent daemons',
  speedChecks: "the daemons' speed checks (nice 19)",
  gui: 'the GUI server',
  chromium: 'Chromium',
  sshd: "the nodes' sshd, with the sessions they reaped",
};

/** Median and slowest node of one phase over every node of every run. */
function phaseCell(runs: AppRun[], k: keyof StartPhases): string {
  const xs = runs.flatMap((r) => r.phases.map((p) => p[k]));
  return `${median(xs).toFixed(0)} / ${Math.max(...xs).toFixed(0)}`;
}

const sum = (runs: AppRun[], k: 'viaSocket'): number => runs.reduce((a, r) => a + r[k], 0);
const count = (runs: AppRun[]): number => runs.reduce((a, r) => a + r.phases.length, 0);

/** Results for several cluster sizes, side by side, each against its own fan-out. */
export function formatStartup(rs: StartupResult[]): string {
  const f = (x: number): string => x.toFixed(0);
  const list = (xs: number[]): string => xs.map(f).join(', ');
  const head = `| | ${rs.map((r) => `${r.nodes} nodes: runs (ms) | median | / fan-out`).join(' | ')} |`;
  const rule = `|---|${rs.map(() => '---|---:|---:').join('|')}|`;
  const row = (label: string, pick: (r: StartupResult) => [number[], number, string]) =>
    `| ${label} | ${rs.map((r) => { const [xs, m, q] = pick(r); return `${list(xs)} | ${f(m)} | ${q}`; }).join(' | ')} |`;
  const medianOf = (runs: AppRun[], k: 'urlMs' | 'pageMs' | 'allUpMs' | 'totalMs'): number => median(runs.map((x) => x[k]));
  const phaseHead = `| phase (ms per node: median / slowest) | ${rs.map((r) => `${r.nodes} cold | ${r.nodes} warm`).join(' | ')} |`;
  const phaseRule = `|---|${rs.map(() => '---:|---:').join('|')}|`;
  const phaseRows = PHASE_NAMES.map((k) => `| ${k} | ${rs.map((r) => `${phaseCell(r.cold, k)} | ${phaseCell(r.warm, k)}`).join(' | ')} |`);
  const stage = (label: string, pick: (runs: AppRun[]) => number) => `| ${label} | ${rs.map((r) => `${f(pick(r.cold))} | ${f(pick(r.warm))}`).join(' | ')} |`;
  return [
    head,
    rule,
    row('app, cold (agent uploaded, daemons started, speed calibrated in the background)', (r) => [r.cold.map((x) => x.totalMs), r.coldMedianMs, `**${r.coldRatio.toFixed(2)}x**`]),
    row('app, warm (agent installed, daemons running)', (r) => [r.warm.map((x) => x.totalMs), r.warmMedianMs, `**${r.warmRatio.toFixed(2)}x**`]),
    row('baseline: as many parallel OpenSSH `ssh`', (r) => [r.sshMs, r.sshMedianMs, '1.00x']),
    row('reference: one agent daemon started in every node at once, nothing else (until each said ready)', (r) => {
      const xs = r.daemonsAlone.map((d) => d.wall);
      return [xs, median(xs), `${(median(xs) / r.sshMedianMs).toFixed(2)}x`];
    }),
    '',
    ...rs.filter((r) => r.incomplete).map((r) => `**${r.nodes} nodes: ${r.reps} of ${REPS} repetitions**, then ${r.incomplete}.`),
    ...(rs.some((r) => r.incomplete) ? [''] : []),
    'Where the app\'s time goes: from spawn (medians over the runs, ms), and each node\'s phases as the main process logged them',
    '(over every node of every run; *ssh* includes the wait for a handshake place (8 per sshd, 16 in all), *agent* is from the probe\'s end to the',
    'agent\'s hello: the daemon\'s socket opened over SSH and the identity proved, or `attach` run, which starts the daemon when none runs;',
    'a node whose daemon answered at the socket remembered from the last start has no probe).',
    'The server\'s rows come from e2e/bench/serverProbe.cjs loaded into it (`--require`; event-loop delay by perf_hooks, ms since its start).',
    'The CPU rows: the busy time of all CPUs from /proc/stat over the run, and each kind of process\'s own time plus that of',
    'the children it reaped (e2e/bench/cpuByGroup.ts); the rest is the kernel\'s, short-lived processes reaped elsewhere, and the bench.',
    '',
    phaseHead,
    phaseRule,
    stage('server printed its URL', (runs) => medianOf(runs, 'urlMs')),
    stage('page loaded', (runs) => medianOf(runs, 'pageMs')),
    stage('last node up in the main process', (runs) => medianOf(runs, 'allUpMs')),
    stage('complete main window in the page', (runs) => medianOf(runs, 'totalMs')),
    stage('of which after the last node was up (the page\'s share)', (runs) => median(runs.map((x) => x.totalMs - x.allUpMs))),
    stage('the page\'s first request reached the server', (runs) => median(runs.map((x) => x.server.firstRequestMs))),
    stage('the page\'s WebSocket reached the server', (runs) => median(runs.map((x) => x.server.upgradeMs))),
    stage('server event loop: longest delay over the run', (runs) => median(runs.map((x) => x.server.delayMaxMs))),
    stage('server event loop: 99th percentile delay', (runs) => median(runs.map((x) => x.server.delayP99Ms))),
    `| nodes reached through the daemon's socket (not a relay), all runs | ${rs.map((r) => `${sum(r.cold, 'viaSocket')} of ${count(r.cold)} | ${sum(r.warm, 'viaSocket')} of ${count(r.warm)}`).join(' | ')} |`,
    stage('CPU used on the machine during the run (ms; at most 2 per ms of wall time here)', (runs) => median(runs.map((x) => x.cpu.machine))),
    ...CPU_GROUPS.map((g) => stage(`&nbsp;&nbsp;of it: ${CPU_LABELS[g]}`, (runs) => median(runs.map((x) => x.cpu[g])))),
    `| the same for the baseline fan-out (one column: it is neither cold nor warm) | ${rs.map((r) => `${f(median(r.sshCpuMs))} | `).join(' | ')} |`,
    `| the same for the daemons alone (the reference row above) | ${rs.map((r) => `${f(median(r.daemonsAlone.map((d) => d.cpu)))} | `).join(' | ')} |`,
    ...phaseRows,
    '',
    `Chromium launch (once per cluster size, not counted): ${rs.map((r) => `${f(r.browserLaunchMs)} ms (${r.nodes})`).join(', ')}.`,
  ].join('\n');
}
