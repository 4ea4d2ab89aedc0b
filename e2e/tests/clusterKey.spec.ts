/**
 * The cluster key on the 4-node test cluster: a second GUI on a copy of the profile with
 * another key must not split the cluster (it installs nothing, says so, and adopts the
 * cluster's key on request); a node holding another key is shown cut off in its row, and
 * rotating the key on every node heals it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect } from '../support/fixtures.js';
import { allUp, lamp } from '../support/mainWindow.js';
import { launchApp } from '../support/app.js';
import { out } from '../support/balancing.js';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';
import type { ProfileFile } from '../../electron/core/profile.js';
import { keyId } from '../../shared/clusterKey.js';

const BUNDLE = resolve('dist/agent/mosixview-agent.cjs');
const idOf = (hex: string) => keyId(Buffer.from(hex, 'hex'));
const nodeKeys = (c: TestCluster) => c.nodes.map((n) => readFileSync(`${n.stateDir}/cluster.key`, 'utf8').trim());

/** A copy of the profile in a directory of its own, as an admin copies one, with a key file of its own. */
function profileCopy(c: TestCluster, keyHex: string): { profile: string; keyFile: string } {
  const dir = join(c.dir, `profile-copy-${process.pid}-${Date.now()}`);
  mkdirSync(dir);
  const base = JSON.parse(readFileSync(c.profilePath, 'utf8')) as ProfileFile;
  const profile = join(dir, 'profile.json');
  writeFileSync(profile, JSON.stringify({ ...base, map: c.mapPath }, null, 2));
  const keyFile = join(dir, `${base.name}.cluster-key`);
  writeFileSync(keyFile, keyHex + '\n', { mode: 0o600 });
  return { profile, keyFile };
}

async function forgedCounts(c: TestCluster): Promise<number[]> {
  return Promise.all(c.nodes.map(async (n) => Number(/Load exchange: \d+ accepted, (\d+) forged/.exec(await out(c, n.id, 'status'))?.[1] ?? NaN)));
}

test.describe('the cluster key', () => {
  test("a second GUI on a copy of the profile with another key splits nothing; it adopts the cluster's key", async ({ app, cluster, browser }) => {
    const ids = cluster.nodes.map((n) => n.id);
    await allUp(app.page, ids);
    const clusterKey = nodeKeys(cluster)[0]!;
    expect(nodeKeys(cluster)).toEqual(ids.map(() => clusterKey));
    const forgedBefore = await forgedCounts(cluster);

    const otherKey = randomBytes(32).toString('hex');
    const copy = profileCopy(cluster, otherKey);
    const second = await launchApp(browser, ['--profile', copy.profile]);
    try {
      const dialog = second.page.getByRole('dialog', { name: 'The cluster has another key than this GUI' });
      await expect(dialog).toBeVisible({ timeout: 60_000 });
      await expect(dialog.getByLabel("This GUI's key")).toHaveText(idOf(otherKey));
      await expect(dialog.getByRole('list', { name: 'Keys on the nodes' })).toHaveText(`${idOf(clusterKey)} on nodes 1, 2, 3, 4`, { timeout: 30_000 });
      await allUp(second.page, ids);
      // Several seconds of load exchange later: the nodes kept their key and nobody counts forged datagrams.
      await new Promise((r) => setTimeout(r, 6000));
      expect(nodeKeys(cluster)).toEqual(ids.map(() => clusterKey));
      expect(await forgedCounts(cluster)).toEqual(forgedBefore);
      for (const id of ids) await expect(lamp(app.page, id, 'up')).toBeVisible();
      for (const id of ids) expect(await out(cluster, id, 'status')).toContain(`Node ${id} of 4; cluster key installed; peer channel listening`);

      await dialog.getByRole('button', { name: "Adopt the cluster's key" }).click();
      await expect(dialog).toBeHidden({ timeout: 15_000 });
      await expect(second.page.getByRole('status', { name: 'Cluster key' })).toContainText(`adopted the cluster's key ${idOf(clusterKey)} from node 1 into ${copy.keyFile} (mode 0600)`);
      expect(readFileSync(copy.keyFile, 'utf8').trim()).toBe(clusterKey);
      expect(statSync(copy.keyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(`${copy.keyFile}.old-${idOf(otherKey)}`, 'utf8').trim()).toBe(otherKey);
      expect(nodeKeys(cluster)).toEqual(ids.map(() => clusterKey));
    } finally {
      await second.stop();
    }
  });

  test('a node whose peers reject its key is shown cut off; rotating the key on every node heals it', async ({ app, cluster }) => {
    const ids = cluster.nodes.map((n) => n.id);
    await allUp(app.page, ids);
    const clusterKey = nodeKeys(cluster)[0]!;
    // Node 3 gets another key behind the GUI's back (a restored backup, an old GUI), and its agent restarts.
    const stray = randomBytes(32).toString('hex');
    writeFileSync(`${cluster.nodes[2]!.stateDir}/cluster.key`, stray + '\n', { mode: 0o600 });
    // A plain stop (not the GUI's Stop agent): the GUI reconnects and the agent starts with that key.
    const stopped = await sshExec(cluster, 3, `${process.execPath} ${BUNDLE} stop`);
    expect(stopped.stdout, stopped.stderr).toBe('agent stopped\n');

    const row = app.page.getByRole('row', { name: 'Node 3 row' });
    await expect(lamp(app.page, 3, 'cut off')).toBeVisible({ timeout: 60_000 });
    await expect(row).toContainText(`peers reject this node's cluster key: nodes 1, 2, 4 drop its load-exchange datagrams as forged (this node has key ${idOf(stray)}, they have ${idOf(clusterKey)})`);
    for (const id of [1, 2, 4]) await expect(lamp(app.page, id, 'up')).toBeVisible();

    const dialog = app.page.getByRole('dialog', { name: 'The cluster has another key than this GUI' });
    await expect(dialog.getByRole('list', { name: 'Keys on the nodes' })).toHaveText(`${idOf(clusterKey)} on nodes 1, 2, 4 (this GUI's key)${idOf(stray)} on node 3`);
    await dialog.getByRole('button', { name: 'Rotate the key on every node' }).click();
    await expect(app.page.getByRole('status', { name: 'Cluster key' })).toContainText(`every node has key ${idOf(clusterKey)} now (rotated)`, { timeout: 30_000 });
    expect(nodeKeys(cluster)).toEqual(ids.map(() => clusterKey));
    await expect(lamp(app.page, 3, 'up')).toBeVisible({ timeout: 30_000 });
    await expect(row).not.toContainText('peers reject');
  });
});
