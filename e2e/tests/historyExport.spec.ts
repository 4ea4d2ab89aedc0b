/**
 * History you can take elsewhere, on the 4-node test cluster: the collector records a load
 * on node 2; the Load history window exports the range its chart shows for the nodes ticked
 * in its table, as CSV and JSON downloads, and the files hold exactly what the table reads
 * (each node's peak, its time, its average); `mosixcollector --export` on the collector's
 * node prints the same bytes for the same range; the Memory history exports as well.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures.js';
import { allUp, loadValue } from '../support/mainWindow.js';
import { overflowProblems } from '../support/layout.js';
import { sshExec } from '../cluster/testCluster.js';
import { peakOf, run } from '../support/history.js';
import { routes } from '../../shared/windows.js';
import { formatKbShort } from '../../renderer/history/timeFormat.js';

// The collector choice is persisted per profile: a fresh config dir keeps it at node 1.
process.env.MOSIXVIEW_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'mvcfg-'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Chooses File, then the item, and returns the downloaded file's name and text. */
async function exportFrom(page: Page, item: 'Export CSV…' | 'Export JSON…'): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: 'File' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: item }).click()]);
  await expect(page.getByRole('status', { name: 'Export' })).toContainText('(downloaded)');
  return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
}

/** A node's column of a CSV export: [epoch ms, figure] for every row where it has one. */
function column(csv: string, header: string): { t: number; v: number }[] {
  const [head, ...rows] = csv.trim().split('\n');
  const at = head!.split(',').indexOf(header);
  expect(at, `column "${header}" in ${head}`).toBeGreaterThan(1);
  return rows.map((r) => r.split(',')).filter((f) => f[at] !== '').map((f) => ({ t: Number(f[1]), v: Number(f[at]) }));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('File, Export writes what the chart shows, and mosixcollector --export the same', async ({ app, cluster }) => {
  test.setTimeout(180_000);
  const { page } = app;
  const ids = cluster.nodes.map((n) => n.id);
  await allUp(page, ids);
  const bin = `${cluster.dir}/agent/bin/mosixcollector`;
  for (const id of ids) await expect.poll(() => loadValue(page, id), { timeout: 60_000 }).toBeLessThan(50);
  await run(cluster, 1, `${bin} -c`);
  expect(await run(cluster, 1, `${bin} -d`)).toMatch(/started/);
  try {
    await sleep(4_000);
    await run(cluster, 2, "nohup timeout 6 sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &");
    await sleep(6_000 + 5_000);
    // Stopped, the history holds still: the table's figures and every export read the same seconds.
    expect(await run(cluster, 1, `${bin} -k`)).toMatch(/stopped/);

    const load = await app.openRoute(routes.loadHistory());
    await load.setViewportSize({ width: 1200, height: 800 });
    await expect(load.getByRole('img', { name: /^Load: 4 node\(s\)/ })).toBeVisible({ timeout: 20_000 });
    for (const id of ids) await expect(load.getByRole('row', { name: `Node ${id} history` })).toBeVisible();
    expect((await peakOf(load, 2)).value).toBeGreaterThanOrEqual(80);

    // The menu at 1200x800: a menu button, its items, nothing clipped.
    await load.getByRole('button', { name: 'File' }).click();
    await expect(load.getByRole('button', { name: 'File' })).toHaveAttribute('aria-expanded', 'true');
    const menu = load.getByRole('menu', { name: 'File' });
    await expect(menu.getByRole('menuitem', { name: 'Export CSV…' })).toBeEnabled();
    await expect(menu.getByRole('menuitem', { name: 'Export JSON…' })).toBeEnabled();
    expect(await overflowProblems(load)).toEqual([]);
    await load.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);

    // Node 4 left out: the export holds nodes 1 to 3, every recorded second of the chart's range.
    await load.getByRole('checkbox', { name: 'Export node 4' }).uncheck();
    const csv = await exportFrom(load, 'Export CSV…');
    expect(csv.name).toMatch(/^history-load-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/);
    const header = csv.text.split('\n')[0]!.split(',');
    expect(header.slice(0, 2)).toEqual(['time (UTC)', 'time (epoch ms)']);
    expect(header.slice(2).map((h) => /^node (\d+) \(.+\) load \(%\)$/.exec(h)?.[1])).toEqual(['1', '2', '3']);
    for (const id of [1, 2, 3]) {
      const values = column(csv.text, header[1 + id]!);
      expect(values.length, `node ${id}'s recorded seconds`).toBeGreaterThan(10);
      // Exactly the table's figures: its peak (the stored value, not a rounding), the first second of it, its average.
      const peak = await peakOf(load, id);
      const max = Math.max(...values.map((x) => x.v));
      expect(max, `node ${id}'s peak`).toBe(peak.value);
      expect(values.find((x) => x.v === max)!.t, `node ${id}'s peak time`).toBe(peak.t);
      await expect(load.getByRole('cell', { name: `Average of node ${id} value` })).toHaveText(`${Math.round(mean(values.map((x) => x.v)))}%`);
    }
    expect(Math.max(...column(csv.text, header[3]!).map((x) => x.v))).toBeGreaterThanOrEqual(80);

    // JSON: the same rows, self-describing.
    const json = await exportFrom(load, 'Export JSON…');
    const doc = JSON.parse(json.text);
    expect(doc).toMatchObject({ format: 'mosixview-history-export', family: 'load', nodes: [{ id: 1 }, { id: 2 }, { id: 3 }] });
    expect(doc.columns.map((c: { unit: string }) => c.unit)).toEqual(['%', '%', '%']);
    const csvRows = csv.text.trim().split('\n').slice(1).map((l) => l.split(','));
    expect(doc.rows.map((r: { t: number; values: (number | null)[] }) => [String(r.t), ...r.values.map((v) => (v === null ? '' : String(v)))])).toEqual(csvRows.map((r) => r.slice(1)));

    // On the collector's node, for the same range and nodes: the same bytes.
    const at = (ms: number) => `@${(ms / 1000).toFixed(3)}`;
    const cli = await run(cluster, 1, `${bin} --export ${at(doc.fromMs)} ${at(doc.toMs)} --nodes 1,2,3`);
    expect(cli).toBe(csv.text);
    expect(await run(cluster, 1, `${bin} --export ${at(doc.fromMs)} ${at(doc.toMs)} --nodes 1,2,3 --format json`)).toBe(json.text);
    // A wrong time is refused in words.
    const bad = await sshExec(cluster, 1, `${bin} --export 'yesterday 25:00' now`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/FROM "yesterday 25:00" is not a time: give a time like/);

    // Memory history: mem, rmem, tmem per node in kB, the table's averages, and the tool's same file.
    const mem = await app.openRoute(routes.memHistory());
    await expect(mem.getByRole('row', { name: 'Node 1 history' })).toBeVisible({ timeout: 20_000 });
    const memJson = await exportFrom(mem, 'Export JSON…');
    const memDoc = JSON.parse(memJson.text);
    expect(memDoc.columns.slice(0, 3).map((c: { name: string }) => c.name.replace(/\(.*?\) /, ''))).toEqual(['node 1 mem (kB)', 'node 1 rmem (kB)', 'node 1 tmem (kB)']);
    for (const [i, n] of (memDoc.nodes as { id: number }[]).entries()) {
      const avail = memDoc.rows.map((r: { values: (number | null)[] }) => r.values[i * 3]).filter((v: number | null) => v !== null);
      await expect(mem.getByRole('cell', { name: `Average of node ${n.id} value` })).toHaveText(formatKbShort(mean(avail)));
    }
    const ids4 = (memDoc.nodes as { id: number }[]).map((n) => n.id).join(',');
    expect(await run(cluster, 1, `${bin} --export ${at(memDoc.fromMs)} ${at(memDoc.toMs)} --nodes ${ids4} --history mem --format json`)).toBe(memJson.text);
  } finally {
    await sshExec(cluster, 1, `${bin} -k`);
  }
});
