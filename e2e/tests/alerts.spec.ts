/**
 * Alerts on the 4-node test cluster, evaluated by the collector on node 1 with no GUI open:
 * a real overload (CPU-bound mosrun jobs kept on node 2) raises the load alert, seen by
 * `mosctl alerts` on node 1, then by the main window's banner and as a mark in the load
 * history once the GUI opens; a node taken off the network raises "node down". The rules'
 * thresholds are lowered as an admin would: `mosctl alerts set` (kept in collector.json).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures.js';
import { launchApp } from '../support/app.js';
import { allUp } from '../support/mainWindow.js';
import { cutLink, restoreLink, sshExec, type TestCluster } from '../cluster/testCluster.js';
import { run } from '../support/history.js';
import { mosctl, out, resetFlags, startHog } from '../support/balancing.js';
import { on, startCounter, tool, tryOn } from '../support/jobs.js';
import { routes } from '../../shared/windows.js';

// The collector choice is persisted per profile: a fresh config dir keeps it at node 1.
process.env.MOSIXVIEW_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'mvcfg-'));

const MARK = 'mvalerthog';
const DEFAULTS = 'load.percent=90 load.forS=60 nodeDown.forS=30 clearForS=10';
const collector = (c: TestCluster) => tool(c, 'mosixcollector');

/** The GUI installs the cluster key and map, then closes: from here on no GUI watches. */
async function collectorWithoutGui(app: { page: Parameters<typeof allUp>[0]; stop(): Promise<void> }, cluster: TestCluster): Promise<void> {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  await app.stop();
  await run(cluster, 1, `${collector(cluster)} -c`);
  expect(await run(cluster, 1, `${collector(cluster)} -d`)).toMatch(/mosixcollector started/);
}

async function cleanUp(cluster: TestCluster): Promise<void> {
  await Promise.all(cluster.nodes.map((n) => sshExec(cluster, n.id, `pkill -f '[${MARK[0]}]${MARK.slice(1)}$'; true`)));
  await resetFlags(cluster);
  await sshExec(cluster, 1, `${tool(cluster, 'mosctl')} alerts set ${DEFAULTS}`);
  await sshExec(cluster, 1, `${collector(cluster)} -k`);
}

test.describe('alerts', () => {
  test.afterEach(async ({ cluster }) => cleanUp(cluster));

  test('a real overload raises the load alert with no GUI open: mosctl alerts, then the banner and the load history', async ({ app, browser, cluster }) => {
    test.setTimeout(240_000);
    await collectorWithoutGui(app, cluster);
    // A wrong value is refused by name, and changes nothing.
    const bad = await mosctl(cluster, 1, 'alerts set load.percent=lots');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('load.percent must be a number from 1 to 10000, not "lots"');
    const set = await out(cluster, 1, 'alerts set load.percent=80 load.forS=5 clearForS=5');
    expect(set).toContain('load above 80% for more than 5 s');
    const kept = JSON.parse(await run(cluster, 1, 'cat /var/lib/mosixview/collector/collector.json')) as { alerts: { load: { percent: number; forS: number } } };
    expect(kept.alerts.load).toEqual({ on: true, percent: 80, forS: 5 });

    // Node 2 keeps its jobs and takes none: more CPU-bound jobs than it has CPUs.
    await mosctl(cluster, 2, 'stay');
    await mosctl(cluster, 2, 'block');
    const cpus = Number((await run(cluster, 2, 'nproc')).trim());
    for (let i = 0; i <= cpus; i++) await startHog(cluster, 2, MARK);

    await expect
      .poll(() => out(cluster, 1, 'alerts'), { timeout: 60_000 })
      .toMatch(/^Active alerts \(\d+\):\n(.*\n)*  Node 2 \([^)]+\): load since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: load \d+% \(above 80%\) for more than 5 s/);

    const gui = await launchApp(browser, ['--profile', cluster.profilePath]);
    try {
      await gui.page.setViewportSize({ width: 1200, height: 800 });
      const banner = gui.page.getByRole('alert', { name: 'Alerts' });
      await expect(banner).toContainText(/Node 2 \([^)]+\): load since \d\d:\d\d:\d\d: load \d+% \(above 80%\) for more than 5 s/, { timeout: 20_000 });
      await gui.page.screenshot({ path: test.info().outputPath('alerts-banner.png') });
      // The Alerts window: the rules as the admin set them, the active alert, a bad value named.
      await expect(gui.page.getByRole('button', { name: 'Alerts' })).toBeVisible();
      const win = await gui.openRoute(routes.alerts());
      await win.setViewportSize({ width: 1200, height: 800 });
      const form = win.getByRole('form', { name: 'Alert rules' });
      await expect(form.getByLabel('Load above (%)')).toHaveValue('80', { timeout: 20_000 });
      await expect(win.getByRole('table', { name: 'Active alerts' })).toContainText(/Node 2 \([^)]+\): load since/);
      await form.getByLabel('Load high for more than (s)').fill('soon');
      await form.getByRole('button', { name: 'Apply' }).click();
      await expect(win.getByRole('alert', { name: 'Rules outcome' })).toHaveText('load.forS must be a number from 1 to 86400, not "soon"');
      await win.screenshot({ path: test.info().outputPath('alerts-window.png'), fullPage: true });
      await form.getByRole('button', { name: 'Revert' }).click();
      // The same alert as a mark in the load history, beside the checkpoints.
      const load = await gui.openRoute(routes.loadHistory());
      await expect(load.getByRole('img', { name: /^Load: \d+ node\(s\), 0 checkpoint\(s\), [1-9]\d* alert\(s\)$/ })).toBeVisible({ timeout: 20_000 });
      await expect(load.locator('.alert-mark').filter({ hasText: 'node 2 load' }).first()).toBeVisible();

      // The jobs end: the alert clears (clearForS after the load falls under 80%), and the banner goes.
      await sshExec(cluster, 2, `pkill -f '[${MARK[0]}]${MARK.slice(1)}$'; true`);
      await expect(banner).toHaveCount(0, { timeout: 90_000 });
      expect(await out(cluster, 1, 'alerts')).toMatch(/Recent alerts \(\d+, newest first\):\n(.*\n)*  Node 2 \([^)]+\): load since .*, cleared at /);
    } finally {
      await gui.stop();
    }
  });

  test('a node taken off the network raises "node down" with no GUI open', async ({ app, cluster }) => {
    test.setTimeout(180_000);
    await collectorWithoutGui(app, cluster);
    await out(cluster, 1, 'alerts set nodeDown.forS=5 clearForS=5');
    expect(await out(cluster, 1, 'alerts')).toMatch(/^No active alerts\./);
    await cutLink(cluster, 4);
    try {
      await expect
        .poll(() => out(cluster, 1, 'alerts'), { timeout: 60_000 })
        .toMatch(/  Node 4 \([^)]+\): node down since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: down for more than 5 s/);
      expect(await run(cluster, 1, 'cat /var/lib/mosixview/collector/collector.log')).toMatch(/alert raised: node 4 \([^)]+\): node down: down for more than 5 s/);
    } finally {
      await restoreLink(cluster, 4);
    }
    // Back on the network: cleared once it has been up for clearForS.
    await expect.poll(() => out(cluster, 1, 'alerts'), { timeout: 60_000 }).toMatch(/^No active alerts\.\nRecent alerts \(\d+, newest first\):\n  Node 4 .*node down since .*, cleared at /);
  });

  test('a migration that fails on node 2 raises "migration failed" at the collector on node 1, with no GUI open', async ({ app, cluster }) => {
    test.setTimeout(180_000);
    await collectorWithoutGui(app, cluster);
    const fault = `${cluster.nodes.find((n) => n.id === 3)!.stateDir}/fault-restore`;
    const job = await startCounter(cluster, 2);
    writeFileSync(fault, '');
    try {
      // The migrate tool on node 2 drives the move; node 3's restore fails, so the job goes on at node 2.
      await tryOn(cluster, 2, `${tool(cluster, 'migrate')} ${job.pid} 3`);
      await expect
        .poll(() => out(cluster, 1, 'alerts'), { timeout: 60_000 })
        .toMatch(new RegExp(`  Node 2 \\([^)]+\\): migration failed since .*job ${job.key.replace('.', '\\.')} did not move from node 2 to node 3`));
    } finally {
      rmSync(fault, { force: true });
      await tryOn(cluster, 2, `${tool(cluster, 'migrate')} ${job.pid} kill`);
    }
    expect(await on(cluster, 1, 'cat /var/lib/mosixview/collector/collector.log')).toMatch(new RegExp(`alert raised: node 2 \\([^)]+\\): migration failed: job ${job.key.replace('.', '\\.')} did not move`));
  });
});
