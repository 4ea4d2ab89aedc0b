import { test, expect } from '../support/fixtures.js';
import { allUp, lamp, loadValue } from '../support/mainWindow.js';
import { cutLink, nodeNsPid, restoreLink, sshExec } from '../cluster/testCluster.js';
import { launchApp, type RunningApp } from '../support/app.js';

test('one row per node in map order, each with its own CPU count and host', async ({ app, cluster }) => {
  const { page } = app;
  await allUp(page, cluster.nodes.map((n) => n.id));
  const names = await page.getByRole('button', { name: /^Node \d+$/ }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  expect(names).toEqual(cluster.nodes.map((n) => `Node ${n.id}`));
  for (const n of cluster.nodes) {
    const nproc = (await sshExec(cluster, n.id, 'nproc')).stdout.trim();
    await expect(page.getByRole('cell', { name: `CPUs of node ${n.id}`, exact: true })).toHaveText(nproc);
    await expect(page.getByRole('button', { name: `Node ${n.id}`, exact: true })).toHaveText(n.address);
  }
  // The nodes do not all have the same CPU count (node 2 is pinned to one CPU), so a shared figure would fail.
  expect(new Set(cluster.nodes.map((n) => n.expectedCpus)).size).toBeGreaterThan(1);
  await page.getByRole('checkbox', { name: 'nslookup' }).check();
  await expect(page.getByRole('button', { name: 'Node 3', exact: true })).toHaveText(`mvnode3 (${cluster.nodes[2]!.address})`);
  await expect(page.getByRole('progressbar', { name: 'Load-balancing efficiency' })).toHaveAttribute('aria-valuenow', /\d+/);
});

test('a CPU hog inside node 2 raises its load bar within 5 s, and it falls after the hog stops', async ({ app, cluster }) => {
  const { page } = app;
  await allUp(page, [2]);
  await expect.poll(() => loadValue(page, 2), { timeout: 30_000 }).toBeLessThan(50);
  // The hog ends by itself after 8 s; nothing has to find and kill it.
  await sshExec(cluster, 2, "nohup timeout 8 sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &");
  await expect.poll(() => loadValue(page, 2), { timeout: 5_000, intervals: [200] }).toBeGreaterThanOrEqual(80);
  await expect.poll(() => loadValue(page, 2), { timeout: 30_000 }).toBeLessThan(50);
});

test("moving node 3's speed slider sets the speed a fresh SSH session reads back", async ({ app, cluster }) => {
  const { page } = app;
  await allUp(page, [3]);
  const slider = page.getByRole('slider', { name: 'Speed of node 3', exact: true });
  const before = Number(await slider.inputValue());
  const target = before === 23456 ? 24680 : 23456;
  const mosctl = `${cluster.dir}/agent/bin/mosctl`;
  // The range widens when a node reports a speed beyond it (renderer/store/speedRange.ts), as a node does when its first
  // calibration ends: seconds after its agent's first start at nice 19, later while earlier specs' jobs run (on a quick
  // machine a node measures some 120000 and the range went from 100000 to 200000 in mid-test). So the range is read once
  // no node's speed is provisional and the window shows each node's speed as its agent tells it.
  await expect.poll(async () => (await Promise.all(cluster.nodes.map((n) => sshExec(cluster, n.id, `${mosctl} status`)))).filter((r) => r.stdout.includes('provisional')).map((_, i) => i), { timeout: 60_000 }).toEqual([]);
  for (const n of cluster.nodes) {
    const speed = (await sshExec(cluster, n.id, `${mosctl} getspeed`)).stdout.trim();
    await expect(page.getByRole('status', { name: `Speed value of node ${n.id}` })).toHaveText(speed, { timeout: 10_000 });
  }
  // Far up the range and let go: the range stays, so the thumb stays where the hand left it.
  const max = await slider.getAttribute('max');
  await slider.fill('90000');
  await expect.poll(async () => (await sshExec(cluster, 3, `${mosctl} getspeed`)).stdout.trim(), { timeout: 10_000 }).toBe('90000');
  await expect(page.getByRole('status', { name: 'Speed value of node 3' })).toHaveText('90000');
  await expect(slider).toHaveAttribute('max', max!);
  await expect(slider).toHaveValue('90000');
  await slider.fill(String(target));
  await expect.poll(async () => (await sshExec(cluster, 3, `${mosctl} getspeed`)).stdout.trim(), { timeout: 10_000 }).toBe(String(target));
  await expect(page.getByRole('status', { name: 'Speed value of node 3' })).toHaveText(String(target));
  // Other nodes keep their own speed.
  expect((await sshExec(cluster, 1, `${mosctl} getspeed`)).stdout.trim()).not.toBe(String(target));
});

test("cutting node 2's link turns its lamp red within 5 s; restoring it turns green by itself", async ({ app, cluster }) => {
  const { page } = app;
  await allUp(page, cluster.nodes.map((n) => n.id));
  await cutLink(cluster, 2);
  try {
    await expect(lamp(page, 2, 'down')).toBeVisible({ timeout: 5_000 });
    await expect(lamp(page, 2, 'down')).toHaveAttribute('title', /.+/);
    await expect(lamp(page, 1, 'up')).toBeVisible();
    await expect(lamp(page, 3, 'up')).toBeVisible();
  } finally {
    await restoreLink(cluster, 2);
  }
  await expect(lamp(page, 2, 'up')).toBeVisible({ timeout: 45_000 });
});

test("a node whose sshd does not answer holds no other row: the others are up while it still connects", async ({ browser, cluster }) => {
  // Node 2's sshd frozen: the kernel still takes the TCP connection, so the GUI's handshake
  // waits (8 s) as it would for a hung host. The others used to wait for it before coming up.
  const sshd = nodeNsPid(cluster, 2);
  process.kill(sshd, 'SIGSTOP');
  let app: RunningApp | undefined;
  try {
    app = await launchApp(browser, ['--profile', cluster.profilePath]);
    await allUp(app.page, [1, 3, 4]);
    expect(await lamp(app.page, 2, 'connecting').count()).toBe(1);
  } finally {
    process.kill(sshd, 'SIGCONT');
    await app?.stop();
  }
});
