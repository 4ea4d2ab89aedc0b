/** Fails the run at once, with what to do, when a prerequisite of the end-to-end tests is missing. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH } from './chromium.js';
import { downDeadTestClusters } from '../cluster/testCluster.js';

export default async function globalSetup(): Promise<() => void> {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('the end-to-end tests create network namespaces and need root');
  if (!existsSync(CHROMIUM_PATH)) problems.push(`Chromium is missing at ${CHROMIUM_PATH}`);
  if (!existsSync('/usr/sbin/sshd')) problems.push('OpenSSH sshd is missing (/usr/sbin/sshd)');
  if (!existsSync('dist/electron/headless.cjs') || !existsSync('dist/agent/mosixview-agent.cjs')) problems.push('dist/ is not built');
  if (problems.length) {
    throw new Error(`end-to-end prerequisites missing: ${problems.join('; ')}. Run "npm test" (it installs them as root) or "sudo bash e2e/setup/install-prereqs.sh && npm run build".`);
  }
  // Clusters left by a crashed earlier test run hold addresses and CPU: remove them first.
  // Live runs' clusters and hand-made ones (cluster:up, demo, benchmarks) are left alone.
  await downDeadTestClusters();
  // The GUI's own state (its log, the daemons it found: daemons.json) goes to a directory of this run, given
  // to the workers and the apps they start, and removed at the end: a run leaves nothing in root's home.
  const state = mkdtempSync(join(tmpdir(), 'mv-e2e-state-'));
  process.env.XDG_STATE_HOME = state;
  return () => rmSync(state, { recursive: true, force: true });
}
