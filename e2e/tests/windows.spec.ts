/**
 * Every window of Mosixview on the 4-node test cluster, as a new admin sees it in the first
 * hour: at 1200x800 and at the window's own size, in light and dark mode. Each look is kept
 * as a screenshot under test-results/windows/ for a human to look at, and checked: nothing
 * overflows sideways, no button or field clips its text, each window has its own title.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures.js';
import { launchApp, type RunningApp } from '../support/app.js';
import { allUp, lamp } from '../support/mainWindow.js';
import { manualMigrationsOnly, on, startCounter, tool, tryOn } from '../support/jobs.js';
import { knownHostsCopy, profileVariant } from '../support/profiles.js';
import { applyLook, freshScreenshotDir, gapBetween, looksOf, overflowProblems, schemeProblems, screenshot, signalColours } from '../support/layout.js';
import { cutLink, restoreLink } from '../cluster/testCluster.js';
import { routes } from '../../shared/windows.js';
import { parseJobKey } from '../../shared/domain/process.js';
import { formatRateShort } from '../../renderer/ioFigures.js';

// The collector choice is persisted per profile: a fresh config dir keeps it at node 1.
process.env.MOSIXVIEW_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'mvcfg-'));

test.describe.configure({ timeout: 420_000 });
manualMigrationsOnly(test);
test.beforeAll(() => freshScreenshotDir());

/** Screenshots of the four looks of a page; the problems of each, prefixed with its file name. */
async function checkLooks(page: Page, route: string, file: string, ready: (p: Page) => Promise<void>): Promise<string[]> {
  const found: string[] = [];
  for (const look of looksOf(route)) {
    await applyLook(page, look);
    await ready(page);
    const name = `${file}-${look.name}-${look.scheme}`;
    await screenshot(page, name);
    for (const p of await overflowProblems(page)) found.push(`${name}: ${p}`);
    for (const p of await schemeProblems(page, look.scheme)) found.push(`${name}: ${p}`);
  }
  return found;
}

interface Window {
  route: string;
  file: string;
  title: string | RegExp;
  ready: (p: Page) => Promise<void>;
}

test('every window, light and dark, at 1200x800 and its own size: titled, nothing overflows or clips', async ({ app, cluster }) => {
  const { page } = app;
  await allUp(page, cluster.nodes.map((n) => n.id));
  const collector = `${cluster.dir}/agent/bin/mosixcollector`;
  await tryOn(cluster, 1, `MOSIXVIEW_COLLECTOR_PROCS_S=4 ${collector} -d`);
  const job = await startCounter(cluster, 1);
  try {
    await on(cluster, 1, `${collector} -n first-job`);
    await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`);
    await expect.poll(() => job.host(), { timeout: 30_000 }).toBe('mvnode3');
    const now = Date.now();
    const windows: Window[] = [
      { route: routes.node(3), file: 'node-3', title: 'Node 3: mvnode3 — configuration', ready: (p) => expect(p.getByRole('status', { name: 'Guests here' })).toHaveText(/guests? here/, { timeout: 15_000 }) },
      { route: routes.allNodes(), file: 'node-all', title: 'All nodes — configuration', ready: (p) => expect(p.getByRole('status', { name: 'Guests here' }).first()).toHaveText(/guests? here/, { timeout: 15_000 }) },
      { route: routes.procs(1), file: 'procs-1', title: 'Process box: node 1', ready: (p) => expect(p.getByRole('row', { name: `Job ${job.key}`, exact: true })).toBeVisible({ timeout: 15_000 }) },
      { route: routes.clusterProcs(), file: 'cluster-procs', title: 'Cluster processes', ready: (p) => expect(p.getByRole('row', { name: `Job ${job.key}`, exact: true }).getByRole('cell').nth(9)).toHaveText('node 3', { timeout: 15_000 }) },
      { route: routes.remote(3), file: 'remote-3', title: 'Remote processes: node 3', ready: (p) => expect(p.getByRole('table', { name: 'Guests of node 3' })).toBeVisible({ timeout: 15_000 }) },
      { route: routes.migrator(1, parseJobKey(job.key)!), file: 'migrator', title: `Migrator: job ${job.key} on node 3`, ready: (p) => expect(p.getByLabel('Runs on')).toHaveText('node 3', { timeout: 15_000 }) },
      { route: routes.monitor(), file: 'monitor', title: 'Migration monitor', ready: (p) => expect(p.getByRole('group', { name: 'Node 3', exact: true }).getByRole('button', { name: `Job ${job.key}`, exact: true })).toBeVisible({ timeout: 20_000 }) },
      { route: routes.exec(1), file: 'exec', title: 'Advanced execution: node 1', ready: (p) => expect(p.getByRole('combobox', { name: 'Start from node' })).toHaveValue('1', { timeout: 15_000 }) },
      { route: routes.loadHistory(), file: 'history-load', title: 'Load history', ready: (p) => expect(p.getByRole('row', { name: 'Node 4 history' })).toBeVisible({ timeout: 20_000 }) },
      { route: routes.memHistory(), file: 'history-mem', title: 'Memory history', ready: (p) => expect(p.getByRole('row', { name: 'Node 4 history' })).toBeVisible({ timeout: 20_000 }) },
      { route: routes.ioHistory(), file: 'history-io', title: 'I/O history', ready: (p) => expect(p.getByRole('row', { name: 'Node 4 history' })).toBeVisible({ timeout: 20_000 }) },
      { route: routes.procHistory(), file: 'history-procs', title: 'Process history', ready: (p) => expect(p.getByRole('table', { name: /^Processes at / })).toBeVisible({ timeout: 30_000 }) },
      { route: routes.average('load', 2, undefined, { from: now - 120_000, to: now }), file: 'history-average', title: 'Average load of node 2', ready: (p) => expect(p.getByRole('progressbar', { name: 'Average load of node 2' })).toBeVisible({ timeout: 20_000 }) },
    ];
    const problems: string[] = [];
    // Titles are collected with the layout problems, so one run reports every window's.
    const titled = async (p: Page, want: string | RegExp, what: string) => {
      if (!(await expect(p).toHaveTitle(want).then(() => true, () => false))) problems.push(`${what}: titled "${await p.title()}", not ${want}`);
    };
    await titled(page, /^Mosixview: \S+$/, 'main window');
    problems.push(...(await checkLooks(page, '', 'main', () => allUp(page, [1, 2, 3, 4]))));
    // Lamps, LCDs and the load colours read the same in dark mode as in light mode.
    const colours: Record<string, string>[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      colours.push(await signalColours(page));
    }
    expect(Object.keys(colours[0]!)).toEqual(expect.arrayContaining(['.lamp-up', '.lcd']));
    expect(colours[1]).toEqual(colours[0]);
    for (const w of windows) {
      const win = await app.openRoute(w.route);
      await w.ready(win);
      await titled(win, w.title, w.route);
      problems.push(...(await checkLooks(win, w.route, w.file, w.ready)));
      if (w.route === 'exec?node=1') problems.push(...(await execDialogs(win)));
      await win.close();
    }
    expect(problems).toEqual([]);
  } finally {
    await tryOn(cluster, 3, `${tool(cluster, 'migrate')} ${job.pid} kill`);
    await tryOn(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
    await tryOn(cluster, 1, `${collector} -k`);
  }
});

/** Advanced execution with the host chooser in use, then with its program browser open. */
async function execDialogs(exec: Page): Promise<string[]> {
  await exec.getByRole('radio', { name: 'run on' }).check();
  const found = await checkLooks(exec, 'exec', 'exec-host-chooser', async (p) => {
    await expect(p.getByRole('slider', { name: 'Target node' })).toBeEnabled();
  });
  await exec.getByRole('button', { name: 'Browse' }).click();
  found.push(...(await checkLooks(exec, 'exec', 'exec-browse', (p) => expect(p.getByRole('list', { name: 'Files' }).getByRole('listitem').first()).toBeVisible({ timeout: 15_000 }))));
  return found;
}

test('the configuration window: each counter beside its button, groups apart, nothing run together', async ({ app }) => {
  await allUp(app.page, [3]);
  const win = await app.openRoute(routes.node(3));
  await expect(win.getByRole('status', { name: 'Guests here' })).toHaveText(/guests? here/, { timeout: 15_000 });
  const button = (name: string) => win.getByRole('button', { name, exact: true });
  const counter = (name: string) => win.getByRole('status', { name, exact: true });
  for (const look of looksOf('node/3')) {
    await applyLook(win, look);
    for (const [b, c] of [['Expel guests', 'Guests here'], ['Bring home', 'Own jobs away']] as const) {
      const g = await gapBetween(button(b), counter(c));
      expect(g.sameLine, `${c} beside ${b} (${look.name})`).toBe(true);
      expect(g.gap, `space between ${b} and ${c} (${look.name})`).toBeGreaterThanOrEqual(6);
    }
    // The next group starts on its own line, or clearly apart from the counter before it.
    for (const [c, b] of [['Guests here', 'Bring home'], ['Own jobs away', 'Start agent']] as const) {
      const g = await gapBetween(counter(c), button(b));
      expect(!g.sameLine || g.gap >= 16, `${b} apart from ${c} (${look.name}): ${JSON.stringify(g)}`).toBe(true);
    }
    const g = await gapBetween(button('Start agent'), button('Stop agent'));
    expect(g.sameLine && g.gap >= 6, `Stop agent beside Start agent (${look.name}): ${JSON.stringify(g)}`).toBe(true);
  }
});

/** Where each row's parts are; a message in another row must not move any of them sideways. */
async function rowGeometry(page: Page, ids: number[]) {
  const out: Record<string, { x: number; width: number }> = {};
  for (const id of ids) {
    for (const [what, loc] of [
      ['host', page.getByRole('button', { name: `Node ${id}`, exact: true })],
      ['speed', page.getByRole('slider', { name: `Speed of node ${id}`, exact: true })],
      ['load', page.getByRole('progressbar', { name: `Load of node ${id}`, exact: true })],
      ['memory', page.getByRole('progressbar', { name: `Memory of node ${id}`, exact: true })],
      ['cpus', page.getByRole('cell', { name: `CPUs of node ${id}`, exact: true })],
    ] as const) {
      const b = (await loc.boundingBox())!;
      out[`${what} of node ${id}`] = { x: Math.round(b.x), width: Math.round(b.width) };
    }
  }
  return out;
}

async function procsBesideHost(page: Page, ids: number[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const id of ids) {
    const g = await gapBetween(page.getByRole('button', { name: `Node ${id}`, exact: true }), page.getByRole('button', { name: `Processes of node ${id}`, exact: true }));
    if (!g.sameLine || g.gap < 4) wrong.push(`node ${id}: procs ${g.sameLine ? `${g.gap} px from` : 'wrapped under'} the host name`);
  }
  return wrong;
}

test('a node down: its message gets its own line and no other row moves; the host buttons keep procs beside them', async ({ app, cluster }) => {
  const { page } = app;
  const ids = cluster.nodes.map((n) => n.id);
  await allUp(page, ids);
  const problems: string[] = [];
  const looks = looksOf('');
  const before: Awaited<ReturnType<typeof rowGeometry>>[] = [];
  for (const look of looks) {
    await applyLook(page, look);
    before.push(await rowGeometry(page, ids));
    problems.push(...(await procsBesideHost(page, ids)).map((p) => `${look.name}-${look.scheme}, all up: ${p}`));
  }
  await cutLink(cluster, 2);
  try {
    await expect(lamp(page, 2, 'down')).toBeVisible({ timeout: 10_000 });
    await expect(page.getByRole('row', { name: 'Node 2 row' }).locator('.row-message')).toHaveText(/\S/);
    for (const [i, look] of looks.entries()) {
      await applyLook(page, look);
      const name = `main-node-down-${look.name}-${look.scheme}`;
      await screenshot(page, name);
      problems.push(...(await overflowProblems(page)).map((p) => `${name}: ${p}`));
      problems.push(...(await procsBesideHost(page, ids)).map((p) => `${name}: ${p}`));
      const after = await rowGeometry(page, ids);
      for (const [k, v] of Object.entries(before[i]!)) {
        if (k.endsWith('of node 2')) continue;
        if (after[k]!.x !== v.x || after[k]!.width !== v.width) problems.push(`${name}: ${k} moved from x ${v.x} (width ${v.width}) to x ${after[k]!.x} (width ${after[k]!.width})`);
      }
    }
  } finally {
    await restoreLink(cluster, 2);
  }
  await allUp(page, [2]);
  expect(problems).toEqual([]);
});

test('the host key dialog wraps its fingerprint and file names inside the window', async ({ browser, cluster }) => {
  const knownHosts = knownHostsCopy(cluster, cluster.emptyKnownHostsPath);
  const app: RunningApp = await launchApp(browser, ['--profile', profileVariant(cluster, { ssh: { knownHostsFile: knownHosts } })]);
  try {
    const dialog = app.page.getByRole('dialog');
    await expect(dialog).toBeVisible({ timeout: 30_000 });
    const problems = await checkLooks(app.page, '', 'dialog-host-key', () => expect(dialog).toBeVisible());
    // A small window: the dialog still fits, its long lines wrapped.
    await applyLook(app.page, { name: 'narrow', size: { width: 480, height: 600 }, scheme: 'light' });
    await screenshot(app.page, 'dialog-host-key-480x600-light');
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(480);
    expect(await dialog.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    expect(problems).toEqual([]);
  } finally {
    await app.stop();
  }
});

test('the Disk / Network column holds the widest figures a row can show, in every look', async ({ app, cluster }) => {
  const { page } = app;
  await allUp(page, cluster.nodes.map((n) => n.id));
  // A short rate is at most four characters ("999k", "1.2M"): every row's figures set to four
  // such pairs, and measured at once, before the next update writes the real ones back.
  const widest = `${formatRateShort(999 * 1024)}/${formatRateShort(999 * 1024)}`;
  const problems: string[] = [];
  for (const look of looksOf('')) {
    await applyLook(page, look);
    const clipped = await page.evaluate((text) => {
      const out: string[] = [];
      for (const cell of document.querySelectorAll<HTMLElement>('td.io-cell')) {
        for (const g of cell.querySelectorAll('[role=group]')) {
          const last = g.lastChild;
          if (last?.nodeType === Node.TEXT_NODE) last.textContent = text;
        }
        if (cell.scrollWidth > cell.clientWidth + 1) out.push(`"${cell.textContent}": ${cell.scrollWidth} px of it in ${cell.clientWidth} px`);
      }
      return out;
    }, widest);
    problems.push(...clipped.map((p) => `${look.name}-${look.scheme}: ${p}`));
  }
  expect(problems).toEqual([]);
});
