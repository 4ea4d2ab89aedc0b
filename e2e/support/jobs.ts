/** Jobs on the test cluster, driven the way an admin would: the openMosix tools over ssh. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';

/**
 * A stateful job: counts every 100 ms, writes "<count> <hostname>" to ./count and prints the
 * count (its stdout file then holds the job's one history: every number once, in order); with
 * MB > 0 it first fills that much memory (so its image takes time to move) and checks it each tick.
 */
export const counterJs = (mb = 0) => `const fs = require('fs'), os = require('os'); let n = 0;
const big = Buffer.alloc(${mb} * 1024 * 1024, 7);
setInterval(() => { n++; if (big.length && big[(n * 4096) % big.length] !== 7) throw new Error('memory lost');
  fs.writeFileSync('count.tmp', n + ' ' + os.hostname()); fs.renameSync('count.tmp', 'count'); console.log(n); }, 100);`;

export const tool = (c: TestCluster, name: string) => `${c.dir}/agent/bin/${name}`;

export async function on(c: TestCluster, node: number, cmd: string, timeoutMs = 120_000): Promise<string> {
  const r = await sshExec(c, node, cmd, { timeoutMs });
  if (r.code !== 0) throw new Error(`node ${node}: "${cmd}" failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

export async function tryOn(c: TestCluster, node: number, cmd: string, timeoutMs = 120_000) {
  return sshExec(c, node, cmd, { timeoutMs });
}

export interface Counter {
  dir: string;
  /** The job's stdout (in its job directory on the shared file system). */
  stdout: string;
  pid: number;
  key: string;
  count(): number;
  host(): string;
}

let seq = 0;

/** Starts the counting job with mosrun on `node`; resolves once it counts. */
export async function startCounter(c: TestCluster, node: number, extra = '', mb = 0): Promise<Counter> {
  const dir = `${c.dir}/shared/work-${process.pid}-${++seq}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/job.js`, counterJs(mb));
  const out = await on(c, node, `cd ${dir} && ${tool(c, 'mosrun')} ${extra} ${process.execPath} job.js`);
  const m = /job (\d+\.(\d+)) started, pid (\d+)/.exec(out);
  if (!m) throw new Error(`mosrun did not start the job: ${out}`);
  const read = () => {
    try {
      return readFileSync(`${dir}/count`, 'utf8').split(' ');
    } catch {
      return ['0', ''];
    }
  };
  const stdout = `${c.jobsDir}/${m[1]}/stdout`;
  const counter: Counter = { dir, stdout, pid: Number(m[3]), key: m[1]!, count: () => Number(read()[0]), host: () => read()[1] ?? '' };
  const until = Date.now() + 20_000;
  while (counter.count() < 3) {
    if (Date.now() > until) throw new Error(`the job in ${dir} does not count`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return counter;
}

/** How many copies of the counter run (not stopped) on each node: node processes in its directory. */
export async function copies(c: TestCluster, counter: Counter): Promise<Record<number, number>> {
  const out: Record<number, number> = {};
  const script = `for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = node ] && [ "$(readlink $p/cwd)" = "${counter.dir}" ] && ! grep -q '^[0-9]* (node) [Tt]' $p/stat && echo $p; done | wc -l`;
  for (const n of c.nodes) out[n.id] = Number((await sshExec(c, n.id, script)).stdout.trim());
  return out;
}

/** The node the one running copy is on; fails if there is not exactly one. */
export async function runningOn(c: TestCluster, counter: Counter): Promise<number> {
  const per = await copies(c, counter);
  const where = Object.entries(per).filter(([, k]) => k > 0);
  const total = Object.values(per).reduce((a, b) => a + b, 0);
  if (total !== 1) throw new Error(`expected exactly one running copy of the job, found ${JSON.stringify(per)}`);
  return Number(where[0]![0]);
}

/** Resolves true if the count goes up within `ms`. */
export async function stillCounting(counter: Counter, ms = 1500): Promise<boolean> {
  const a = counter.count();
  await new Promise((r) => setTimeout(r, ms));
  return counter.count() > a;
}

/** PID (root namespace) of a node's agent daemon: the mosixview-agent daemon in the node's network namespace. */
export function agentDaemonPid(c: TestCluster, nodeId: number): number | undefined {
  const netns = c.nodes.find((n) => n.id === nodeId)!.netns;
  let ino: number;
  try {
    ino = statSync(`/run/netns/${netns}`).ino;
  } catch {
    return undefined;
  }
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmd.some((a) => a.includes('mosixview-agent')) || !cmd.includes('daemon')) continue;
      if (statSync(`/proc/${pid}/ns/net`).ino === ino) return Number(pid);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** Resolves once a migration's images start arriving on the node (its incoming directory). */
export async function waitForIncoming(c: TestCluster, nodeId: number, timeoutMs = 30_000): Promise<void> {
  const dir = `${c.nodes.find((n) => n.id === nodeId)!.stateDir}/incoming`;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if (readdirSync(dir).some((d) => readdirSync(`${dir}/${d}`).length > 0)) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no migration arrived at node ${nodeId} within ${timeoutMs / 1000} s`);
}

/**
 * For tests that migrate by hand: the balancer would otherwise move their jobs on its own.
 * `mosctl stay` is openMosix's "no automatic migration"; `migrate` still works.
 */
export function manualMigrationsOnly(t: typeof import('./fixtures.js').test): void {
  t.beforeEach(async ({ app, cluster }) => {
    const { allUp } = await import('./mainWindow.js');
    await allUp(app.page, cluster.nodes.map((n) => n.id));
    for (const n of cluster.nodes) await on(cluster, n.id, `${tool(cluster, 'mosctl')} stay`);
  });
  t.afterEach(async ({ cluster }) => {
    for (const n of cluster.nodes) await tryOn(cluster, n.id, `${tool(cluster, 'mosctl')} nostay`);
  });
}

/**
 * Where the job's one history went wrong, if it did: a number printed twice or out of order
 * (two copies ran, or a stale copy ran on) or a gap (a count lost). Undefined when intact.
 */
export function historyBreak(counter: Counter): string | undefined {
  let text = '';
  try {
    text = readFileSync(counter.stdout, 'utf8');
  } catch {
    return `no output in ${counter.stdout}`;
  }
  const seq = text.trim().split('\n').map(Number);
  for (let i = 0; i < seq.length; i++) if (seq[i] !== i + 1) return `line ${i + 1} says ${seq[i]} (after ${seq[i - 1] ?? 'nothing'})`;
  return undefined;
}
