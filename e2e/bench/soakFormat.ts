/** The soak benchmark's figures as docs/BENCHMARKS.md shows them (e2e/bench/soak.ts measures them). */
import { busiest, growthPercent, type NodeCpu } from './soakFigures.js';
import { formatExchange } from './exchangeCounts.js';
import { median } from './report.js';
import type { SoakResult } from './soak.js';

/** The soak's cluster: issue 14's 64 nodes. */
export const SOAK_NODES = 64;

export const SOAK_TITLE = `Soak: ${SOAK_NODES} nodes watched for an hour`;

const pct = (x: number): string => `${x.toFixed(2)} %`;
const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;

/** The busiest three daemons and the collector node's own, each with its node: the median hides one busy agent. */
function busiestRows(r: SoakResult): string[] {
  const row = (label: string, x: NodeCpu) => `| ${label} | ${pct(x.cpu)} | ${pct(x.cpu - r.idleNodeCpu)} |`;
  const top = busiest(r.daemonCpuByNode, 3).map((x, i) => row(`agent daemon, ${['busiest', '2nd busiest', '3rd busiest'][i]}: node ${x.node}`, x));
  const collectorNode = r.daemonCpuByNode.find((x) => x.node === 1);
  return [...top, ...(collectorNode ? [row('agent daemon of node 1 (the collector\'s node: pulls the peers\' alert events and process lists)', collectorNode)] : [])];
}

export function formatSoak(r: SoakResult): string {
  const spread = (xs: number[]) => (xs.length ? `${pct(median(xs))} / ${pct(Math.max(...xs))}` : 'n/a');
  const net = (xs: number[]) => (xs.length ? `${pct(median(xs) - r.idleNodeCpu)} / ${pct(Math.max(...xs) - r.idleNodeCpu)}` : 'n/a');
  const memRow = (label: string, a: number, b: number, fmt: (x: number) => string) => `| ${label} | ${fmt(a)} | ${fmt(b)} | ${signed(growthPercent(a, b))} |`;
  const errorLines = r.errors.flatMap((e) => [
    `- ${e.source}: ${e.entries.length === 0 ? 'nothing' : `${e.entries.reduce((a, x) => a + x.count, 0)} entries`}`,
    ...e.entries.slice(0, 12).map((x) => `  - ${x.count}x \`${x.text.slice(0, 220).replace(/`/g, "'")}\``),
    ...(e.entries.length > 12 ? [`  - ... and ${e.entries.length - 12} more kinds`] : []),
  ]);
  return [
    '| memory | start | end | growth |',
    '|---|---:|---:|---:|',
    memRow('main process (headless server), RSS', r.start.mainRssKb, r.end.mainRssKb, mb),
    memRow('page, JS heap in use after a forced GC', r.start.pageHeapBytes / 1024, r.end.pageHeapBytes / 1024, mb),
    memRow(`agent daemons, RSS (median of ${r.start.agentRssKb.length})`, median(r.start.agentRssKb), median(r.end.agentRssKb), mb),
    '',
    `Every minute (main RSS / page heap without a forced GC): ${r.trail.map((t) => `${t.min}: ${mb(t.mainRssKb)} / ${mb(t.pageHeapBytes / 1024)}`).join('; ')}.`,
    '',
    '| CPU, % of one core over the run | median / most | less the idle `node` |',
    '|---|---:|---:|',
    `| agent daemon (${r.daemonCpu.length}) | ${spread(r.daemonCpu)} | ${net(r.daemonCpu)} |`,
    ...busiestRows(r),
    `| agent \`attach\` relay of the GUI's session (${r.attachCpu.length}: ${r.attachCpu.length ? 'nodes reached through a relay' : 'none, every daemon reached through its socket'}) | ${spread(r.attachCpu)} | ${net(r.attachCpu)} |`,
    `| sshd session processes of a node (the GUI's connection, forwarding the socket; ${r.sshdCpu.length} nodes) | ${spread(r.sshdCpu)} | |`,
    `| collector on node 1 | ${spread(r.collectorCpu)} | ${net(r.collectorCpu)} |`,
    `| baseline: idle \`node\` (a 1 s timer doing nothing) | ${pct(r.idleNodeCpu)} | |`,
    '',
    `Agent daemons restarted during the run: ${r.daemonsRestarted}.`,
    '',
    `Collector history over the measured ${Math.round(r.history.expected / 60)} minutes: ${r.history.missing} of ${r.history.expected} seconds missing` +
      `${r.history.firstMissing.length ? ` (first: ${r.history.firstMissing.map((t) => new Date(t).toISOString().slice(11, 19)).join(', ')} UTC)` : ''};` +
      ` node-seconds with a node absent or down: ${r.history.nodeSecondsMissing}.`,
    '',
    formatExchange(r.exchange),
    '',
    'Everything logged during the whole run (cluster start, warm-up and measurement), by kind (numbers as N):',
    '',
    ...errorLines,
  ].join('\n');
}
