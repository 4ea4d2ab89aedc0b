/**
 * The start-up benchmark's hands on the test cluster's nodes: making them cold (no daemon,
 * no installed agent, no state) and waiting until the agents have finished the speed
 * calibration a cold start leaves them running. Those calibrations run at nice 19 for a few
 * seconds on every node (agent/speed/speedWorker.ts); a fan-out measured meanwhile took
 * about 20 % longer (2026-11-30: 925-1000 ms against 776-795 ms with no calibration), which
 * made the app's ratio to it look better than it was.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';

// The bracket keeps the pattern from matching the shell that runs it.
const DAEMON_PATTERN = "'[m]osixview-agent-.*daemon'";
/** A speed check: `node - STATEDIR`, a session of its own (agent/speed/speedWorker.ts). */
const SPEED_CHECK_PATTERN = '^[^ ]+ - /var/lib/mosixview$';
const QUIET_LIMIT_MS = 120_000;

async function onAllNodes(c: TestCluster, cmd: string): Promise<string[]> {
  // 64 sshd at once on a loaded machine answer a connect slowly: the bench's own checks must not fail on that.
  const rs = await Promise.all(c.nodes.map((n) => sshExec(c, n.id, cmd, { connectTimeoutSec: 60, timeoutMs: 120_000 })));
  rs.forEach((r, i) => {
    if (r.code !== 0) throw new Error(`node ${i + 1}: "${cmd}" ${r.timedOut ? 'did not end within 120 s (killed)' : `exited ${r.code}`}: ${r.stderr.trim()}`);
  });
  return rs.map((r) => r.stdout.trim());
}

export const daemonsRunning = async (c: TestCluster): Promise<number> =>
  (await onAllNodes(c, `pgrep -f ${DAEMON_PATTERN} | wc -l`)).reduce((a, s) => a + Number(s), 0);

/**
 * A node that never saw Mosixview: no daemon, no installed agent (all nodes share the
 * run's agentDir, so one rm covers them), no state dir, hence also no stored speed
 * calibration, which a first start has to run.
 */
export async function makeCold(c: TestCluster): Promise<void> {
  // The daemon, and the speed check it may still run (`node - STATEDIR`, a session of its own,
  // which a daemon killed by a signal leaves to finish; it writes speed.json into the state dir).
  const agentProcs = `-f -- '(${DAEMON_PATTERN.replace(/^'|'$/g, '')})|(${SPEED_CHECK_PATTERN})'`;
  await onAllNodes(c, `pkill ${agentProcs}; for i in $(seq 100); do pgrep ${agentProcs} >/dev/null || exit 0; sleep 0.05; done; exit 1`);
  rmSync(`${c.dir}/agent`, { recursive: true, force: true });
  for (const n of c.nodes) {
    rmSync(n.stateDir, { recursive: true, force: true });
    mkdirSync(n.stateDir, { recursive: true });
  }
}

/** Speed checks running now in any node of the machine (the nodes' PID namespaces lie below the host's). */
function speedChecksRunning(): number {
  try {
    return execFileSync('pgrep', ['-f', SPEED_CHECK_PATTERN], { encoding: 'utf8' }).trim().split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

/** Waits until no node runs a speed check (at most 2 min); the ms waited. */
export async function agentsQuiet(): Promise<number> {
  const t0 = performance.now();
  while (speedChecksRunning() > 0) {
    if (performance.now() - t0 > QUIET_LIMIT_MS) throw new Error(`speed checks still run after ${QUIET_LIMIT_MS / 1000} s (pgrep -f '${SPEED_CHECK_PATTERN}')`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return performance.now() - t0;
}
