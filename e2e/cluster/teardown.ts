/**
 * Teardown that trusts nothing but the run id: cluster.json says what was planned,
 * and the mvt<run> name prefix finds whatever a crash left unrecorded. Every step
 * tolerates "already gone", so it can run any number of times.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { RUN_ID, RUNS_ROOT, runDir, runPrefix, type TestCluster } from './types.js';
import { cmdlineOf, findProcesses, kill9, listLinks, listNetns, netnsPids, processRunning, tryRun, waitUntil } from './sys.js';

export function readClusterFile(runId: string): TestCluster | undefined {
  try {
    return JSON.parse(readFileSync(`${runDir(runId)}/cluster.json`, 'utf8')) as TestCluster;
  } catch {
    return undefined;
  }
}

const nsOf = (runId: string): string[] => listNetns().filter((n) => n.startsWith(`${runPrefix(runId)}-`));
const linksOf = (runId: string): string[] => listLinks().filter((l) => l.startsWith(runPrefix(runId)));
/** The node's unshare and sshd both carry its sshd_config path; nothing else does. */
const nodeProcs = (runId: string) => findProcesses(`${runDir(runId)}/n`).filter((p) => p.cmd.includes('/sshd_config'));

/** What a run left on the machine; empty when it is fully gone. */
export async function leftovers(runId: string): Promise<string[]> {
  const found: string[] = [];
  for (const ns of nsOf(runId)) {
    found.push(`netns ${ns}`);
    for (const pid of await netnsPids(ns)) found.push(`process ${pid} in ${ns}: ${cmdlineOf(pid) ?? '?'}`);
  }
  for (const l of linksOf(runId)) found.push(`link ${l}`);
  for (const p of nodeProcs(runId)) found.push(`process ${p.pid}: ${p.cmd}`);
  if (existsSync(runDir(runId))) found.push(`directory ${runDir(runId)}`);
  return found;
}

async function killRunProcesses(runId: string, cluster: TestCluster | undefined): Promise<boolean> {
  const namespaces = new Set([...nsOf(runId), ...(cluster?.nodes.map((n) => n.netns) ?? [])]);
  const round = async (): Promise<void> => {
    // A recorded PID may have been reused after a crash: only kill it if it is still our node.
    for (const n of cluster?.nodes ?? []) {
      // An empty cmdline of a running process means it is in the middle of execve (ip -> taskset -> unshare).
      const cmd = n.pid > 0 ? cmdlineOf(n.pid) : undefined;
      if (cmd?.includes(n.sshdConfig) || (cmd === '' && processRunning(n.pid))) kill9(n.pid);
    }
    for (const p of nodeProcs(runId)) kill9(p.pid);
    // Whatever else lives in a node's network (e.g. a CRIU-restored job) goes too.
    for (const ns of namespaces) {
      if (listNetns().includes(ns)) for (const pid of await netnsPids(ns)) kill9(pid);
    }
  };
  return waitUntil(
    async () => {
      await round();
      if (nodeProcs(runId).length > 0) return false;
      for (const ns of namespaces) if ((await netnsPids(ns)).length > 0) return false;
      return true;
    },
    10_000,
    200,
  );
}

/**
 * Removes a run's processes, namespaces, links and directory, then checks that
 * nothing is left and throws (listing it) if something is.
 */
export async function downCluster(runIdOrCluster: string | TestCluster, log: (s: string) => void = () => {}): Promise<void> {
  const runId = typeof runIdOrCluster === 'string' ? runIdOrCluster : runIdOrCluster.runId;
  if (!RUN_ID.test(runId)) throw new Error(`not a test cluster run id: "${runId}" (expected 4 hex digits)`);
  const cluster = readClusterFile(runId) ?? (typeof runIdOrCluster === 'string' ? undefined : runIdOrCluster);

  if (!(await killRunProcesses(runId, cluster))) log(`run ${runId}: some processes survived SIGKILL for 10 s`);

  // Outer veths first: deleting one end removes the pair at once, whereas a deleted
  // namespace frees its interfaces only later, asynchronously.
  const links = new Set([...linksOf(runId), ...(cluster?.nodes.map((n) => n.vethOuter) ?? [])]);
  if (cluster) links.add(cluster.bridge);
  const bridge = cluster?.bridge ?? `${runPrefix(runId)}br`;
  for (const l of [...links].filter((l) => l !== bridge)) {
    if (listLinks().includes(l)) await tryRun('ip', ['link', 'del', l]);
  }
  if (listLinks().includes(bridge)) await tryRun('ip', ['link', 'del', bridge]);

  const namespaces = new Set([...nsOf(runId), ...(cluster?.nodes.map((n) => n.netns) ?? [])]);
  for (const ns of namespaces) {
    if (listNetns().includes(ns)) {
      const r = await tryRun('ip', ['netns', 'del', ns]);
      if (!r.ok) log(`ip netns del ${ns}: ${r.err.trim()}`);
    }
  }
  await waitUntil(() => linksOf(runId).length === 0, 5_000);

  rmSync(runDir(runId), { recursive: true, force: true });

  const left = await leftovers(runId);
  if (left.length > 0) throw new Error(`test cluster ${runId} was not fully removed; left over:\n  ${left.join('\n  ')}`);
  log(`run ${runId}: removed`);
}

/** Run ids that have a directory, a namespace or a link on this machine. */
export function listRunIds(): string[] {
  const ids = new Set<string>();
  for (const d of readdirSync(RUNS_ROOT)) {
    const m = /^mvt-([0-9a-f]{4})$/.exec(d);
    if (m?.[1]) ids.add(m[1]);
  }
  for (const name of [...listNetns(), ...listLinks()]) {
    const m = /^mvt([0-9a-f]{4})(?:-n\d+|br|v\d+)$/.exec(name);
    if (m?.[1]) ids.add(m[1]);
  }
  return [...ids].sort();
}

/** Tears down every test cluster on the machine, also half-built or orphaned ones. */
export async function downAll(log: (s: string) => void = () => {}): Promise<string[]> {
  const ids = listRunIds();
  const errors: string[] = [];
  for (const id of ids) {
    try {
      await downCluster(id, log);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return ids;
}

/**
 * Removes the clusters of test runs whose process died (a crashed or killed run), leaving
 * clusters of live runs and those made by hand (cluster:up, demo, benchmarks) alone.
 */
export async function downDeadTestClusters(log: (s: string) => void = () => {}): Promise<string[]> {
  const removed: string[] = [];
  for (const id of listRunIds()) {
    const c = readClusterFile(id);
    // No cluster.json yet: a run being set up right now, unless it is old (a crash mid-setup).
    if (!c && Date.now() - dirAgeMs(id) < 5 * 60_000) continue;
    const ownerAlive = c ? processRunning(c.ownerPid) : false;
    if (c && (c.purpose !== 'tests' || ownerAlive)) continue;
    await downCluster(id, log);
    removed.push(id);
  }
  return removed;
}

function dirAgeMs(runId: string): number {
  try {
    return statSync(runDir(runId)).mtimeMs;
  } catch {
    return 0;
  }
}
