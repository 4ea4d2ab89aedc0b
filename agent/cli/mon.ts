/**
 * mon, the openMosix terminal monitor (HOWTO chapter 8.5): load, speed, memory and
 * utilisation bars for every node of the cluster view, redrawn each second until q or
 * Ctrl-C. `mon --once` prints one frame and exits (scripts, tests).
 */
import type { NodeId, NodeSample } from '../../shared/domain/node.js';
import type { ClusterViewReply } from '../../shared/protocol/agentBalance.js';
import { CliError, connectDaemon, type DaemonClient } from './daemonClient.js';

export const MON_USAGE = 'usage: mon [--once]';
const BAR = 20;

export function bar(percent: number, width = BAR): string {
  const p = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
  const full = Math.round((p / 100) * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

const pct = (n: number) => `${String(Math.round(n)).padStart(3)}%`;

/** One screen: a header, then a row per map node (or this node alone outside a cluster). */
export function monFrame(view: ClusterViewReply, own: NodeSample | undefined, now: Date): string[] {
  const rows: string[] = [];
  const ids: NodeId[] = view.map.length ? view.map.map((n) => n.id) : [];
  let up = 0;
  const row = (id: string, host: string, f: { load: number; cpus: number; speed: number; util: number; memAvailKb: number; memTotalKb: number }) => {
    up++;
    const loadPct = f.cpus > 0 ? (100 * f.load) / f.cpus : 0;
    const memPct = f.memTotalKb > 0 ? (100 * (f.memTotalKb - f.memAvailKb)) / f.memTotalKb : 0;
    return (
      `${id.padStart(5)}  ${host.padEnd(15).slice(0, 15)} up    load ${bar(loadPct)} ${f.load.toFixed(2).padStart(5)}` +
      `  speed ${String(f.speed).padStart(7)}  mem ${bar(memPct)}${pct(memPct)}  util ${bar(f.util)}${pct(f.util)}`
    );
  };
  for (const id of ids) {
    const host = view.map.find((n) => n.id === id)!.host;
    const v = view.nodes.find((n) => n.node === id);
    if (v?.up) rows.push(row(String(id), host, v));
    else rows.push(`${String(id).padStart(5)}  ${host.padEnd(15).slice(0, 15)} down  ${v ? `no news for ${(v.ageMs / 1000).toFixed(0)} s` : 'no news yet'}`);
  }
  if (ids.length === 0 && own) {
    rows.push(row('-', own.hostname, { ...own, memAvailKb: own.mem.availableKb, memTotalKb: own.mem.totalKb }));
  }
  const clock = now.toTimeString().slice(0, 8);
  const head = ids.length ? `mon: ${ids.length} node(s), ${up} up; this is node ${view.self ?? '?'}` : 'mon: not in a cluster (no map installed): this node only';
  return [`${head}    ${clock}    q or Ctrl-C quits`, '', ' node  host            state', ...rows];
}

async function frame(agent: Pick<DaemonClient, 'request'>): Promise<string[]> {
  const [view, own] = await Promise.all([
    agent.request('balance.view', null).catch(() => ({ self: null, map: [], nodes: [] }) as ClusterViewReply),
    agent.request('sample', null).catch(() => undefined),
  ]);
  return monFrame(view, own, new Date());
}

export async function mon(args: string[], out: (s: string) => void): Promise<void> {
  if (args.some((a) => a === '-h' || a === '--help')) return out(MON_USAGE);
  const bad = args.find((a) => a !== '--once');
  if (bad !== undefined) throw new CliError(`unknown argument "${bad}"\n${MON_USAGE}`);
  const agent = await connectDaemon();
  if (args.includes('--once')) {
    try {
      (await frame(agent)).forEach(out);
    } finally {
      agent.end();
    }
    return;
  }
  const tty = process.stdout.isTTY === true;
  await new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const finish = (e?: Error) => {
      if (timer) clearInterval(timer);
      if (tty) process.stdout.write('\x1b[?25h\n');
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      agent.end();
      if (e) reject(e);
      else resolve();
    };
    const draw = () =>
      frame(agent).then(
        (lines) => process.stdout.write((tty ? '\x1b[H\x1b[2J' : '\n') + lines.join('\n') + '\n'),
        (e: Error) => finish(e),
      );
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.on('data', (d: Buffer) => {
      const k = d.toString();
      if (k.includes('q') || k.includes('Q') || k.includes('\x03')) finish();
    });
    process.once('SIGINT', () => finish());
    if (tty) process.stdout.write('\x1b[?25l');
    void draw();
    timer = setInterval(() => void draw(), 1000);
  });
}
