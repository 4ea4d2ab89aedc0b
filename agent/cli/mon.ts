/**
 * mon, the openMosix terminal monitor (HOWTO chapter 8.5): load, speed, memory and
 * utilisation bars for every node of the cluster view, redrawn each second until q or
 * Ctrl-C. `mon --once` prints one frame and exits (scripts, tests). When it cannot show the
 * cluster it says which of these it is: no agent, no map installed, or an agent it cannot
 * reach (no permission, hung, gone mid-run).
 */
import { connect } from 'node:net';
import type { NodeId, NodeSample } from '../../shared/domain/node.js';
import type { ClusterViewReply } from '../../shared/protocol/agentBalance.js';
import { clientStatePaths } from '../stateDir.js';
import { CliError, connectDaemon, type DaemonClient } from './daemonClient.js';

/** A failure as the RPC layer or the socket reports it. */
export interface Failure {
  code?: string;
  message: string;
}

const RESTART = 'restart it: "mosixview-agent stop; mosixview-agent daemon &" (or systemctl restart mosixview-agent)';

/** Why mon cannot talk to this node's agent, in words, by the failure's code. */
export function agentProblem(f: Failure, socket: string): string {
  switch (f.code) {
    case 'ENOENT':
      return `no agent: the Mosixview agent is not running on this node (no socket at ${socket}): start it with "systemctl start mosixview-agent" or "mosixview-agent daemon &"`;
    case 'ECONNREFUSED':
      return `no agent: nothing listens at ${socket} (the agent stopped or crashed and left its socket): start it with "mosixview-agent daemon &"`;
    case 'EACCES':
    case 'EPERM':
      return `agent unreachable: no permission to use ${socket}: run mon as the agent's user or as root`;
    case 'ETIMEDOUT':
      return `agent unreachable: it does not answer (${f.message}): it may be hung; ${RESTART}`;
    case 'ECLOSED':
      return `agent unreachable: ${f.message} (was it stopped?): start it again, then run mon again`;
    default:
      return `agent unreachable: ${f.message}`;
  }
}

/** The socket's own error, for a connection that connectDaemon could only call "not running". */
function socketError(path: string): Promise<Failure> {
  return new Promise((resolve) => {
    const sock = connect(path);
    sock.once('connect', () => (sock.destroy(), resolve({ code: 'ECONNRESET', message: `the agent at ${path} accepted, then dropped the connection` })));
    sock.once('error', (e: NodeJS.ErrnoException) => resolve({ ...(e.code ? { code: e.code } : {}), message: e.message }));
  });
}

async function connectForMon(): Promise<DaemonClient> {
  const socket = clientStatePaths().socket;
  try {
    return await connectDaemon();
  } catch (e) {
    const f: Failure = e instanceof CliError ? await socketError(socket) : (e as Failure);
    throw new CliError(agentProblem(f, socket));
  }
}

/** The cluster view, or why the agent did not give one. */
export type ViewAnswer = ClusterViewReply | { error: Failure };

export const MON_USAGE = 'usage: mon [--once]';
const BAR = 20;

export function bar(percent: number, width = BAR): string {
  const p = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
  const full = Math.round((p / 100) * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

const pct = (n: number) => `${String(Math.round(n)).padStart(3)}%`;

/** One screen: a header, then a row per map node (or this node alone outside a cluster). */
export function monFrame(answer: ViewAnswer, own: NodeSample | undefined, now: Date): string[] {
  const rows: string[] = [];
  const failed = 'error' in answer ? answer.error : undefined;
  const view: ClusterViewReply = 'error' in answer ? { self: null, map: [], nodes: [] } : answer;
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
  const alone = !failed
    ? 'not in a cluster (no map installed): this node only'
    : failed.code === 'ETIMEDOUT' || failed.code === 'ECLOSED'
      ? agentProblem(failed, clientStatePaths().socket)
      : `the agent could not give the cluster view (${failed.message}): this node only`;
  const head = ids.length ? `mon: ${ids.length} node(s), ${up} up; this is node ${view.self ?? '?'}` : `mon: ${alone}`;
  return [`${head}    ${clock}    q or Ctrl-C quits`, '', ' node  host            state', ...rows];
}

async function frame(agent: Pick<DaemonClient, 'request'>): Promise<string[]> {
  const [view, own] = await Promise.all([
    agent.request('balance.view', null).catch((e: Failure): ViewAnswer => ({ error: { ...(e.code ? { code: e.code } : {}), message: e.message } })),
    agent.request('sample', null).catch(() => undefined),
  ]);
  return monFrame(view, own, new Date());
}

export async function mon(args: string[], out: (s: string) => void): Promise<void> {
  if (args.some((a) => a === '-h' || a === '--help')) return out(MON_USAGE);
  const bad = args.find((a) => a !== '--once');
  if (bad !== undefined) throw new CliError(`unknown argument "${bad}"\n${MON_USAGE}`);
  const agent = await connectForMon();
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
