/** Fails the run at once, with what to do, when a prerequisite of the end-to-end tests is missing. */
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './chromium.js';
import { downDeadTestClusters } from '../cluster/testCluster.js';

export default async function globalSetup(): Promise<void> {
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
}
