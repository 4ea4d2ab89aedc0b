/** What the balancing end-to-end tests share: mosctl over ssh, flags reset, the configuration window, polling. */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';
import { tool } from './jobs.js';
import { routes } from '../../shared/windows.js';

export const mosctl = async (c: TestCluster, node: number, args: string) => sshExec(c, node, `${tool(c, 'mosctl')} ${args}`);
export const out = async (c: TestCluster, node: number, args: string) => (await mosctl(c, node, args)).stdout;

/** Every flag off on every node, whatever a failed test left behind (controls persist). */
export async function resetFlags(c: TestCluster) {
  await Promise.all(c.nodes.map((n) => mosctl(c, n.id, 'nostay').then(() => mosctl(c, n.id, 'nolstay')).then(() => mosctl(c, n.id, 'noblock')).then(() => mosctl(c, n.id, 'noquiet'))));
}

export async function configWindow(app: { openRoute(r: string): Promise<Page> }, node: number | 'all') {
  const page = await app.openRoute(node === 'all' ? routes.allNodes() : routes.node(node));
  const region = page.getByRole('region', { name: node === 'all' ? 'All nodes configuration' : `Node ${node} configuration` });
  await expect(region).toBeVisible();
  return { page, region };
}

/** Polls `get` until `ok` or the timeout; returns the last value, for a message that shows it. */
export async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
}


/** A job as the node running it records it: migrations so far and the last one (shared/jobs/job.ts). */
export interface JobPlace {
  node: number;
  state: string;
  migrations: number;
  lastMigration?: { from: number; to: number; at: number };
}

/**
 * Where a job runs now, from the nodes' job records (`<state dir>/jobs/KEY.json`): the
 * records that say it runs there (where 0, running or stopped). More than one means two
 * copies, none means it is between nodes or lost.
 */
export function jobPlaces(c: TestCluster, key: string): JobPlace[] {
  const out: JobPlace[] = [];
  for (const n of c.nodes) {
    let r: { where: number; state: string; migrations: number; lastMigration?: JobPlace['lastMigration'] };
    try {
      r = JSON.parse(readFileSync(`${n.stateDir}/jobs/${key}.json`, 'utf8'));
    } catch {
      continue; // no record there, or one being replaced at this instant
    }
    if (r.where === 0 && (r.state === 'running' || r.state === 'stopped')) {
      out.push({ node: n.id, state: r.state, migrations: r.migrations, ...(r.lastMigration ? { lastMigration: r.lastMigration } : {}) });
    }
  }
  return out;
}

/**
 * Starts a CPU hog with mosrun on `node` (its args end in `mark`); returns its job key. It
 * runs in the shared file system: a job whose working directory is a node's own /tmp cannot
 * move, and the balancer rightly leaves it alone.
 */
export async function startHog(c: TestCluster, node: number, mark: string): Promise<{ key: string; pid: number }> {
  const r = await sshExec(c, node, `cd ${c.dir}/shared && ${tool(c, 'mosrun')} sh -c 'while :; do :; done' ${mark}`);
  const m = /job (\d+\.\d+) started, pid (\d+)/.exec(r.stdout);
  if (r.code !== 0 || !m) throw new Error(`mosrun on node ${node} did not start the hog (${r.code}): ${r.stdout}${r.stderr}`);
  return { key: m[1]!, pid: Number(m[2]) };
}

/**
 * Bursty unmovable work on a node: plain `sh` over ssh (not mosrun), a CPU loop of `burstS`
 * seconds every `burstS + gapS` seconds, until killed by its mark.
 */
export async function startBursts(c: TestCluster, node: number, burstS: number, gapS: number, mark: string): Promise<void> {
  const loop = `while :; do timeout ${burstS} sh -c 'while :; do :; done'; sleep ${gapS}; done`;
  const r = await sshExec(c, node, `nohup sh -c "${loop}" ${mark} </dev/null >/dev/null 2>&1 &`);
  if (r.code !== 0) throw new Error(`bursts on node ${node} did not start: ${r.stderr}`);
}

/** The balancer's automatic moves of a node, from mosctl status: started and failed. */
export async function balancerMoves(c: TestCluster, node: number): Promise<{ moves: number; failed: number }> {
  const s = await out(c, node, 'status');
  const m = /Balancer: [^;]*; (\d+) move\(s\), (\d+) failed/.exec(s);
  if (!m) throw new Error(`no balancer line in mosctl status of node ${node}:\n${s}`);
  return { moves: Number(m[1]), failed: Number(m[2]) };
}

/** What each node's balancer says it does and why (mosctl status), for a failed proof's message. */
export async function balancerSays(c: TestCluster): Promise<string> {
  const lines = await Promise.all(
    c.nodes.map(async (n) => (await out(c, n.id, 'status')).split('\n').filter((l) => /^(This node|Balancer|Job .* stays|Node .* gets no jobs|Flags)/.test(l)).map((l) => `node ${n.id}: ${l}`)),
  );
  return lines.flat().join('\n');
}

/**
 * Before a job-moving proof: every node up, the migration service there (without it the
 * proof fails, saying so), and equal speeds (calibrations of nodes sharing one machine
 * differ by chance). Returns the speeds to put back.
 */
export async function readyToMove(app: { page: Page }, c: TestCluster): Promise<string[]> {
  const { allUp } = await import('./mainWindow.js');
  await allUp(app.page, c.nodes.map((n) => n.id));
  const status = await out(c, 1, 'status');
  if (!status.includes('Balancer: moves jobs')) {
    throw new Error(
      "the migration service is missing: node 1's agent moves no jobs (the migrate feature does not provide the migration service), " +
        `so the job-moving proofs cannot run. mosctl status said:\n${status}`,
    );
  }
  const speeds = await Promise.all(c.nodes.map(async (n) => (await out(c, n.id, 'getspeed')).trim()));
  await Promise.all(c.nodes.map((n) => mosctl(c, n.id, 'setspeed 10000')));
  return speeds;
}

/** Processes on each node whose args end in one of `marks`. */
export async function marked(c: TestCluster, marks: readonly string[]): Promise<number[]> {
  const pattern = marks.map((m) => `[${m[0]}]${m.slice(1)}`).join('|');
  return Promise.all(c.nodes.map(async (n) => Number((await sshExec(c, n.id, `pgrep -c -f '(${pattern})$' || true`)).stdout.trim() || '0')));
}

/**
 * After a job-moving proof: moves stopped first (a job in flight when the hogs die would
 * arrive later), every process whose args end in one of `marks` killed until none is left,
 * flags and speeds put back.
 */
export async function cleanUpMoves(c: TestCluster, speeds: readonly string[], marks: readonly string[]): Promise<void> {
  await Promise.all(c.nodes.map((n) => mosctl(c, n.id, 'stay')));
  const pattern = marks.map((m) => `[${m[0]}]${m.slice(1)}`).join('|');
  const left = await until(
    async () => {
      await Promise.all(c.nodes.map((n) => sshExec(c, n.id, `pkill -f '(${pattern})$'; true`)));
      await new Promise((r) => setTimeout(r, 2000));
      return (await marked(c, marks)).reduce((a, b) => a + b, 0);
    },
    (n) => n === 0,
    30_000,
  );
  await resetFlags(c);
  if (speeds.length) await Promise.all(c.nodes.map((n, i) => mosctl(c, n.id, `setspeed ${speeds[i]}`)));
  if (left !== 0) throw new Error(`${left} marked process(es) still run after the test`);
}
