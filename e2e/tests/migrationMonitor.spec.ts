/**
 * The migration monitor on the 4-node test cluster, as an admin uses it: opened from the
 * main window, it draws the jobs in the nodes they run on; a job dragged onto a node (the
 * real mouse) and one moved with the keyboard (select it, then the node) run there
 * afterwards, exactly once, as the agents' records say; a locked job's move is refused
 * with the agent's reason; and a move the balancer makes is drawn and logged "by the balancer".
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures.js';
import { on, tool } from '../support/jobs.js';
import { cleanUpMoves, jobPlaces, mosctl, readyToMove, startHog, until } from '../support/balancing.js';
import type { TestCluster } from '../cluster/testCluster.js';
import { routes } from '../../shared/windows.js';

test.describe.configure({ timeout: 240_000 });

/** Sleep arguments no other test uses. */
const TAG = String(48000 + (process.pid % 900));

async function startSleep(cluster: TestCluster, node: number, arg: string): Promise<{ key: string; pid: number }> {
  const dir = `${cluster.dir}/shared/migmon-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  const out = await on(cluster, node, `cd ${dir} && ${tool(cluster, 'mosrun')} /bin/sleep ${arg}`);
  const m = /job (\d+\.\d+) started, pid (\d+)/.exec(out);
  if (!m) throw new Error(`mosrun did not start the job on node ${node}: ${out}`);
  return { key: m[1]!, pid: Number(m[2]) };
}

async function openFromMain(page: Page): Promise<Page> {
  const [win] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Migration monitor', exact: true }).click()]);
  await win.waitForLoadState();
  await expect(win).toHaveURL(new RegExp(`#/${routes.monitor()}$`));
  await expect(win).toHaveTitle('Migration monitor');
  return win;
}

const nodeGroup = (win: Page, id: number) => win.getByRole('group', { name: `Node ${id}`, exact: true });
const jobButton = (win: Page, key: string) => win.getByRole('button', { name: `Job ${key}`, exact: true });
const log = (win: Page) => win.getByRole('log', { name: 'Migrations' });

async function centre(win: Page, selector: ReturnType<Page['locator']>): Promise<{ x: number; y: number }> {
  const box = await selector.boundingBox();
  if (!box) throw new Error('not drawn');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags the job's dot onto the node's circle with the mouse, as an admin would. */
async function drag(win: Page, key: string, to: number): Promise<void> {
  const from = await centre(win, jobButton(win, key).locator('circle.job-disc'));
  const target = await centre(win, nodeGroup(win, to).locator('circle.node-disc'));
  await win.mouse.move(from.x, from.y);
  await win.mouse.down();
  await win.mouse.move(target.x, target.y, { steps: 12 });
  await win.mouse.up();
}

/** The job runs on `node` and nowhere else, as the nodes' job records say. */
async function runsOnlyOn(cluster: TestCluster, key: string, node: number): Promise<void> {
  const places = await until(async () => jobPlaces(cluster, key), (p) => p.length === 1 && p[0]!.node === node, 30_000);
  expect(places.map((p) => p.node), `records of job ${key}: ${JSON.stringify(places)}`).toEqual([node]);
}

test.describe('moves by the admin', () => {
  test.beforeEach(async ({ app, cluster }) => {
    const { allUp } = await import('../support/mainWindow.js');
    await allUp(app.page, cluster.nodes.map((n) => n.id));
    // The balancer stays out of it: every move here is the admin's.
    for (const n of cluster.nodes) await mosctl(cluster, n.id, 'stay');
  });
  test.afterEach(async ({ cluster }) => cleanUpMoves(cluster, [], [`${TAG}1`, `${TAG}2`, `${TAG}3`, `${TAG}4`]));

  test('a job dragged onto a node runs there; the keyboard moves one too; a locked one is refused, saying why', async ({ app, cluster }) => {
    const dragged = await startSleep(cluster, 1, `${TAG}1`);
    const keyed = await startSleep(cluster, 1, `${TAG}2`);
    const locked = await startSleep(cluster, 1, `${TAG}3`);
    await on(cluster, 1, `${tool(cluster, 'migrate')} ${locked.pid} lock`);
    // A job that moved before the window opened is where it is, and not news in the log.
    const before = await startSleep(cluster, 1, `${TAG}4`);
    await on(cluster, 1, `${tool(cluster, 'migrate')} ${before.pid} 4`);
    await runsOnlyOn(cluster, before.key, 4);
    const win = await openFromMain(app.page);
    for (const j of [dragged, keyed, locked]) await expect(nodeGroup(win, 1).getByRole('button', { name: `Job ${j.key}`, exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(nodeGroup(win, 4).getByRole('button', { name: `Job ${before.key}`, exact: true })).toBeVisible({ timeout: 20_000 });
    // Past the window's first polls (every node's first answer in): still nothing logged.
    await win.waitForTimeout(5000);
    await expect(log(win).getByRole('listitem')).toHaveCount(0);

    // The mouse: drag the dot onto node 3.
    await drag(win, dragged.key, 3);
    await expect(win.getByRole('status', { name: 'Last action' })).toHaveText(`Migrating job ${dragged.key} to node 3: done`, { timeout: 60_000 });
    await runsOnlyOn(cluster, dragged.key, 3);
    await expect(nodeGroup(win, 3).getByRole('button', { name: `Job ${dragged.key}`, exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(nodeGroup(win, 1).getByRole('button', { name: `Job ${dragged.key}`, exact: true })).toHaveCount(0);
    await expect(log(win).getByRole('listitem')).toHaveCount(1, { timeout: 15_000 });
    await expect(log(win).getByRole('listitem')).toHaveText(new RegExp(`Job ${dragged.key.replace('.', '\\.')}: node 1 to node 3, frozen \\d+ ms, by the admin$`));

    // The keyboard: Enter on the job, Tab-free focus on node 2, Enter.
    await jobButton(win, keyed.key).focus();
    await win.keyboard.press('Enter');
    await expect(win.getByRole('status', { name: 'Selected job' })).toHaveText(`Job ${keyed.key} selected: choose the node it is to go to.`);
    await nodeGroup(win, 2).focus();
    await win.keyboard.press('Enter');
    await expect(win.getByRole('status', { name: 'Last action' })).toHaveText(`Migrating job ${keyed.key} to node 2: done`, { timeout: 60_000 });
    await runsOnlyOn(cluster, keyed.key, 2);
    await expect(nodeGroup(win, 2).getByRole('button', { name: `Job ${keyed.key}`, exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(log(win).getByRole('listitem')).toHaveCount(2, { timeout: 15_000 });
    await expect(log(win).getByRole('listitem').nth(1)).toHaveText(new RegExp(`Job ${keyed.key.replace('.', '\\.')}: node 1 to node 2, frozen \\d+ ms, by the admin$`));

    // Refused: the locked job stays on node 1, and the window says why in the agent's words.
    await drag(win, locked.key, 4);
    await expect(win.getByRole('alert', { name: 'Last action' })).toHaveText(
      `Migrating job ${locked.key} to node 4 failed: job ${locked.key} cannot move to node 4: it is locked: unlock it first (migrator or "migrate PID unlock")`,
      { timeout: 30_000 },
    );
    await runsOnlyOn(cluster, locked.key, 1);
    await expect(nodeGroup(win, 1).getByRole('button', { name: `Job ${locked.key}`, exact: true })).toBeVisible();
    await expect(log(win).getByRole('listitem')).toHaveCount(2);
  });
});

test.describe('moves by the balancer', () => {
  const MARK = 'migmonhog';
  let speeds: string[] = [];
  test.beforeEach(async ({ app, cluster }) => {
    speeds = await readyToMove(app, cluster);
  });
  test.afterEach(async ({ cluster }) => cleanUpMoves(cluster, speeds, [MARK]));

  test('a move the balancer makes is drawn in the monitor and logged "by the balancer"', async ({ app, cluster }) => {
    const win = await openFromMain(app.page);
    await expect(nodeGroup(win, 4)).toBeVisible();
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) keys.push((await startHog(cluster, 1, MARK)).key);
    const line = log(win).getByRole('listitem').filter({ hasText: /by the balancer$/ }).first();
    await expect(line).toBeVisible({ timeout: 90_000 });
    // The landing says the freeze beside the node the job went to.
    const text = (await line.textContent()) ?? '';
    const m = /Job (\d+\.\d+): node 1 to node (\d), frozen (\d+) ms, by the balancer$/.exec(text);
    expect(m, text).not.toBeNull();
    await expect(win.locator('.flight-landing', { hasText: `${m![1]} frozen` }).first()).toBeVisible({ timeout: 5_000 });
    // Once the balancer stays still, the picture agrees with the agents' records, job by job.
    await Promise.all(cluster.nodes.map((n) => mosctl(cluster, n.id, 'stay')));
    const settled = await until(async () => keys.map((k) => jobPlaces(cluster, k)), (ps) => ps.every((p) => p.length === 1 && p[0]!.state === 'running'), 30_000);
    for (const [i, key] of keys.entries()) {
      expect(settled[i], `records of job ${key}`).toHaveLength(1);
      await expect(nodeGroup(win, settled[i]![0]!.node).getByRole('button', { name: `Job ${key}`, exact: true })).toBeVisible({ timeout: 15_000 });
    }
    expect(settled.some((p) => p[0]!.node !== 1)).toBe(true);
  });
});
