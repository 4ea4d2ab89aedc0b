import { statSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { allUp } from '../support/mainWindow.js';
import { sshExec } from '../cluster/testCluster.js';

test('the GUI installs the cluster key and map: every agent knows its node ID and listens for its peers', async ({ app, cluster }) => {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  for (const n of cluster.nodes) {
    const out = (await sshExec(cluster, n.id, `${cluster.dir}/agent/bin/mosctl status`)).stdout;
    expect(out).toContain(`Node ${n.id} of ${cluster.nodes.length}; cluster key installed; peer channel listening on port 7249`);
    expect(statSync(`${n.stateDir}/cluster.key`).mode & 0o777).toBe(0o600);
  }
  // The GUI's copy of the key sits next to the profile, readable by its owner only.
  const keyFile = cluster.profilePath.replace(/profile\.json$/, `test-${cluster.runId}.cluster-key`);
  expect(statSync(keyFile).mode & 0o777).toBe(0o600);
});
