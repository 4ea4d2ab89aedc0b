import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { launchApp } from '../support/app.js';
import { allUp, lamp } from '../support/mainWindow.js';
import { knownHostsCopy, profileVariant } from '../support/profiles.js';

const fingerprintOf = (pubFile: string) => execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' }).split(/\s+/)[1]!;

test('the unknown keys of a new cluster are asked about in one dialog; "Trust all" adds every one to known_hosts', async ({ browser, cluster }) => {
  const knownHosts = knownHostsCopy(cluster, cluster.emptyKnownHostsPath);
  const app = await launchApp(browser, ['--profile', profileVariant(cluster, { ssh: { knownHostsFile: knownHosts } })]);
  try {
    const { page } = app;
    const n = cluster.nodes.length;
    const dialog = page.getByRole('dialog', { name: `Unknown host keys of ${n} nodes` });
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('dialog')).toHaveCount(1);
    for (const node of cluster.nodes) {
      await expect(dialog.getByLabel(`Fingerprint of node ${node.id}`, { exact: true })).toHaveText(fingerprintOf(`${node.dir}/host_ed25519.pub`));
      await expect(lamp(page, node.id, 'up')).toHaveCount(0);
    }
    await dialog.getByRole('button', { name: `Trust all ${n} keys shown` }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await allUp(page, cluster.nodes.map((x) => x.id));
    const lines = readFileSync(knownHosts, 'utf8').trim().split('\n');
    for (const x of cluster.nodes) expect(lines.some((l) => l.split(' ')[0] === x.address)).toBe(true);
  } finally {
    await app.stop();
  }
});

test('a rejected key keeps the node down without asking again by itself; "Ask again" asks, and accepting brings it up', async ({ browser, cluster }) => {
  const knownHosts = knownHostsCopy(cluster, cluster.knownHostsPath);
  const node4 = cluster.nodes.find((n) => n.id === 4)!;
  writeFileSync(knownHosts, readFileSync(knownHosts, 'utf8').split('\n').filter((l) => !l.startsWith(`${node4.address} `)).join('\n'));
  const app = await launchApp(browser, ['--profile', profileVariant(cluster, { ssh: { knownHostsFile: knownHosts } })]);
  try {
    const { page } = app;
    const dialog = page.getByRole('dialog', { name: 'Unknown host key of node 4' });
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await expect(dialog.getByLabel('Fingerprint of node 4', { exact: true })).toHaveText(fingerprintOf(`${node4.dir}/host_ed25519.pub`));
    await dialog.getByRole('button', { name: 'Reject key of node 4' }).click();
    await expect(lamp(page, 4, 'down')).toBeVisible({ timeout: 15_000 });
    const row4 = page.getByRole('row', { name: 'Node 4 row' });
    await expect(row4).toContainText('host key rejected');
    await allUp(page, [1, 2, 3]);
    await page.waitForTimeout(8_000);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(readFileSync(knownHosts, 'utf8')).not.toContain(`${node4.address} `);

    await row4.getByRole('button', { name: 'Ask again about the host key of node 4' }).click();
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Accept key of node 4' }).click();
    await expect(lamp(page, 4, 'up')).toBeVisible({ timeout: 30_000 });
    await expect(row4).not.toContainText('host key rejected');
    expect(readFileSync(knownHosts, 'utf8')).toContain(`${node4.address} `);
  } finally {
    await app.stop();
  }
});

test('a changed host key is refused: the row says so, no question is asked, nothing is sent', async ({ browser, cluster }) => {
  const knownHosts = knownHostsCopy(cluster, cluster.knownHostsPath);
  const [n1, n2] = cluster.nodes;
  // Node 1's address now "has" node 2's key: to the app, node 1's key has changed.
  const key2 = readFileSync(`${n2!.dir}/host_ed25519.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const lines = readFileSync(knownHosts, 'utf8').split('\n').filter((l) => l && !l.startsWith(`${n1!.address} `));
  writeFileSync(knownHosts, [...lines, `${n1!.address} ${key2}`].join('\n') + '\n');
  const authLogBefore = readFileSync(n1!.sshdLog, 'utf8').length;
  const app = await launchApp(browser, ['--profile', profileVariant(cluster, { ssh: { knownHostsFile: knownHosts } })]);
  try {
    const { page } = app;
    await expect(lamp(page, 1, 'down')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('row', { name: 'Node 1 row' })).toContainText(/CHANGED/);
    await expect(page.getByRole('row', { name: 'Node 1 row' }).getByRole('button', { name: /Ask again/ })).toHaveCount(0);
    await allUp(page, [2, 3, 4]);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    // The client stops at the key check: sshd never sees an authentication attempt for node 1.
    expect(readFileSync(n1!.sshdLog, 'utf8').slice(authLogBefore)).not.toMatch(/Accepted|publickey/);
  } finally {
    await app.stop();
  }
});
