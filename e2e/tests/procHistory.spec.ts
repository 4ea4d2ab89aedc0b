/**
 * The process history of every node on the 4-node test cluster: the collector on node 1 records
 * node 2's processes too (asked over the peer channel), and a click on node 2's band in the load
 * history, at a moment its job ran, opens the process history at that minute on node 2, where
 * the job's processes are, every one of them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures.js';
import { allUp, loadValue } from '../support/mainWindow.js';
import { sshExec } from '../cluster/testCluster.js';
import { run } from '../support/history.js';
import { tool } from '../support/jobs.js';
import { routes } from '../../shared/windows.js';

// The collector choice is persisted per profile: a fresh config dir keeps it at node 1.
process.env.MOSIXVIEW_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'mvcfg-'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a job on node 2 is in the process history of node 2, reached by clicking its load in the load history', async ({ app, cluster }) => {
  test.setTimeout(240_000);
  const { page } = app;
  await allUp(page, cluster.nodes.map((n) => n.id));
  const bin = tool(cluster, 'mosixcollector');
  // The job's processes all carry this name (a copy of sh: its subshells keep the name; the sleeps it runs do not).
  const marker = `mvjob${Math.floor(Math.random() * 9000 + 1000)}`;
  const script = `${cluster.dir}/${marker}`;
  for (const n of cluster.nodes) await expect.poll(() => loadValue(page, n.id), { timeout: 60_000 }).toBeLessThan(50);
  await run(cluster, 1, `${bin} -c`);
  // Process lists every 4 s instead of every minute, so the test does not wait minutes.
  expect(await run(cluster, 1, `MOSIXVIEW_COLLECTOR_PROCS_S=4 ${bin} -d`)).toMatch(/mosixcollector started/);
  try {
    await sleep(5_000);
    // Three processes: the job, a busy subshell (node 2's load), an idle one (which runs sleeps, named sleep).
    await run(cluster, 2, `cp /bin/sh ${script}`);
    const started = await run(cluster, 2, `cd /tmp && ${tool(cluster, 'mosrun')} -h ${script} -c '(while :; do :; done) & (while :; do sleep 1; done) & wait'`);
    expect(started).toMatch(/job \d+\.\d+ started, pid \d+/);
    const jobStart = Date.now();
    await expect.poll(async () => Number((await run(cluster, 2, `pgrep -cx ${marker} || true`)).trim()), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => loadValue(page, 2), { timeout: 30_000 }).toBeGreaterThanOrEqual(40);
    // Lists taken while it runs (every 4 s): the moment picked below lies 8 s or more into the job.
    await sleep(14_000);

    const load = await app.openRoute(routes.loadHistory());
    await expect(load.getByRole('img', { name: /^Load: 4 node\(s\)/ })).toBeVisible({ timeout: 20_000 });
    const plot = load.getByRole('slider', { name: 'Cursor in Load' });
    const box = (await plot.boundingBox())!;
    const [min, max] = [Number(await plot.getAttribute('aria-valuemin')), Number(await plot.getAttribute('aria-valuemax'))];
    const moment = jobStart + 10_000;
    expect(moment).toBeLessThan(max);
    const x = box.x + ((moment - min) / (max - min)) * box.width;
    // Node 2's value there, read off the cursor, and its height on the value axis: a click on its band.
    await load.mouse.move(x, box.y + box.height / 2);
    const said = await load.getByRole('list', { name: /^Load at / }).getByRole('listitem', { name: /^node 2: / }).getAttribute('aria-label');
    const value = Number(/node 2: (\d+)%/.exec(said!)?.[1]);
    expect(value, said!).toBeGreaterThanOrEqual(40);
    const top = Math.max(...(await load.locator('figure[aria-label="Load"] .value-tick').evaluateAll((ts) => ts.map((t) => Number((t as HTMLElement).dataset.v)))));
    const y = box.y + box.height * (1 - value / top);
    const [procs] = await Promise.all([load.context().waitForEvent('page'), load.mouse.click(x, y)]);
    await procs.waitForLoadState();

    // Opened at that minute (the last list at or before the moment), on node 2.
    await expect(procs.getByRole('combobox', { name: 'Node' })).toHaveValue('2', { timeout: 20_000 });
    const table = procs.getByRole('table', { name: /^Processes at \d\d:\d\d:\d\d on node 2$/ });
    await expect(table).toBeVisible({ timeout: 20_000 });
    // The route holds the moment clicked (to a pixel: a few tens of ms); the list shown is the last at or before it.
    const clicked = Number(/#\/history\/procs\/current\/(\d+)\/2$/.exec(procs.url())?.[1]);
    expect(Math.abs(clicked - moment)).toBeLessThanOrEqual(2 * ((max - min) / box.width));
    const shownAt = Number(await procs.getByRole('status', { name: 'Shown time' }).getAttribute('data-t'));
    expect(shownAt).toBeLessThanOrEqual(clicked);
    expect(shownAt).toBeGreaterThan(jobStart - 1000);
    const jobRows = table.getByRole('row').filter({ has: procs.getByRole('cell', { name: marker, exact: true }) });
    await expect(jobRows).toHaveCount(3);
    // Every row is node 2's; the collector's own node has its list too, and the job is not in it.
    await procs.getByRole('combobox', { name: 'Node' }).selectOption('all');
    const all = procs.getByRole('table', { name: /^Processes at \d\d:\d\d:\d\d$/ });
    await expect(all.getByRole('row', { name: /^Process \d+ of node 1$/ }).first()).toBeVisible();
    await expect(all.getByRole('row').filter({ has: procs.getByRole('cell', { name: marker, exact: true }) })).toHaveCount(3);
    for (const row of await all.getByRole('row').filter({ has: procs.getByRole('cell', { name: marker, exact: true }) }).all()) {
      await expect(row.getByRole('cell').first()).toHaveText('2');
    }
    await expect(procs.getByRole('list', { name: 'Nodes without a process list' })).toHaveCount(0);
  } finally {
    await sshExec(cluster, 2, `pkill -x ${marker}; rm -f ${script}`);
    await sshExec(cluster, 1, `${bin} -k`);
  }
});
