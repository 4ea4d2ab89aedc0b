import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { allUp } from '../support/mainWindow.js';
import { sshExec } from '../cluster/testCluster.js';
import { launchApp } from '../support/app.js';
import { configWindow, out } from '../support/balancing.js';
import { tool } from '../support/jobs.js';
import { parseHpcMap } from '../../shared/hpcMap.js';

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

test("setpe -w and setpe -off on a node win over the GUI, also after a GUI restart; \"Install the profile's map\" overrules them", async ({ app, cluster, browser }) => {
  const ids = cluster.nodes.map((n) => n.id);
  await allUp(app.page, ids);
  const setpe = (node: number, args: string) => sshExec(cluster, node, `${tool(cluster, 'setpe')} ${args}`);
  const mapOf = async (node: number) => parseHpcMap((await setpe(node, '-r')).stdout).length;
  const own = `${cluster.dir}/own-${process.pid}.map`;
  writeFileSync(own, `${readFileSync(cluster.mapPath, 'utf8').trimEnd()}\n5 ${cluster.subnet.replace(/\.0\/24$/, '.250')} 1\n`);
  try {
    const w = await setpe(3, `-w -f ${own}`);
    expect(w.code, w.stderr).toBe(0);
    const off = await setpe(2, '-off');
    expect(off.stdout).toContain('Mosixview does not put its map back');
    const row = (page: typeof app.page, id: number) => page.getByRole('row', { name: `Node ${id} row` });
    await expect(row(app.page, 3)).toContainText('node 3 has its own map (setpe -w), 5 nodes; the profile has 4; Mosixview keeps it (the node wins)', { timeout: 15_000 });
    await expect(row(app.page, 2)).toContainText('node 2 left the cluster (setpe -off on the node', { timeout: 15_000 });

    // A GUI started now (a restart) leaves both as the admin made them.
    const later = await launchApp(browser, ['--profile', cluster.profilePath]);
    try {
      await allUp(later.page, ids);
      await expect(row(later.page, 3)).toContainText('node 3 has its own map (setpe -w), 5 nodes; the profile has 4; Mosixview keeps it (the node wins)', { timeout: 15_000 });
      await expect(row(later.page, 2)).toContainText("node 2 left the cluster (setpe -off on the node");
      await new Promise((r) => setTimeout(r, 4000));
      expect(await mapOf(3)).toBe(5);
      expect((await setpe(2, '-r')).stderr).toContain('no map is installed on this node');
      // The node window says what wins.
      const { region } = await configWindow(later, 3);
      await expect(region.getByRole('note', { name: 'What wins' })).toContainText('What was done on the node wins over Mosixview: a map from setpe -w, setpe -off and the mosctl flags stay');
      await expect(region).toContainText('node 3 has its own map (setpe -w), 5 nodes; the profile has 4; Mosixview keeps it (the node wins)');

      // The admin's explicit override, from the row.
      await row(later.page, 3).getByRole('button', { name: "Install the profile's map on node 3" }).click();
      await expect(row(later.page, 3)).not.toContainText('its own map', { timeout: 15_000 });
      expect(await mapOf(3)).toBe(4);
      await row(later.page, 2).getByRole('button', { name: "Install the profile's map on node 2" }).click();
      await expect(row(later.page, 2)).not.toContainText('left the cluster', { timeout: 15_000 });
      expect(await mapOf(2)).toBe(4);
      expect(await out(cluster, 2, 'status')).toContain('Node 2 of 4; cluster key installed; peer channel listening');
    } finally {
      await later.stop();
    }
  } finally {
    // Whatever failed above, the next tests get the profile's map on every node.
    for (const id of [2, 3]) await setpe(id, `-w -f ${cluster.mapPath}`);
  }
});
