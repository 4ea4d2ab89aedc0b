/**
 * The collector and its history on the 4-node test cluster. With the GUI connected: load on
 * node 2 appears at the right time, a checkpoint is drawn, the process history shows a
 * process from its minute on, replay shows node 2 loaded, and kill -9 + restart keeps
 * everything before. With no GUI at all: the load exchange alone tells the collector.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures.js';
import { launchApp } from '../support/app.js';
import { allUp, loadValue, openFromMain } from '../support/mainWindow.js';
import { overflowProblems } from '../support/layout.js';
import { sshExec } from '../cluster/testCluster.js';
import { canvasColumn, peakOf, procsShown, run, shownSpan } from '../support/history.js';
import { routes } from '../../shared/windows.js';

// The collector choice is persisted per profile: a fresh config dir keeps it at node 1.
process.env.MOSIXVIEW_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'mvcfg-'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the collector records the cluster; load history, checkpoint, process history, replay, kill -9', async ({ app, cluster }) => {
  test.setTimeout(240_000);
  const { page } = app;
  await allUp(page, cluster.nodes.map((n) => n.id));
  const bin = `${cluster.dir}/agent/bin/mosixcollector`;
  const marker = `mvmark${Math.floor(Math.random() * 9000 + 1000)}`;
  // Earlier tests' jobs leave loads that fall slowly ((7*old + new)/8 a second): the history
  // starts once every node is idle, so the only peak in it is this test's.
  for (const n of cluster.nodes) await expect.poll(() => loadValue(page, n.id), { timeout: 60_000 }).toBeLessThan(50);
  await run(cluster, 1, `${bin} -c`); // a clean history for this test
  // Process lists every 4 s instead of every minute, so the test does not wait minutes.
  expect(await run(cluster, 1, `MOSIXVIEW_COLLECTOR_PROCS_S=4 ${bin} -d`)).toMatch(/mosixcollector started \(pid \d+\)/);
  // A second start is refused while it runs.
  expect((await sshExec(cluster, 1, `${bin} -d`)).stderr).toMatch(/already running/);
  await expect(page.getByRole('status', { name: 'Collector status' })).toHaveText(/collecting/, { timeout: 15_000 });

  try {
    // At least one process list without the marker, then the marker process on node 1.
    await sleep(5_000);
    await run(cluster, 1, `cp /bin/sleep ${cluster.dir}/${marker} && (nohup ${cluster.dir}/${marker} 300 </dev/null >/dev/null 2>&1 &)`);
    await expect.poll(() => loadValue(page, 2), { timeout: 30_000 }).toBeLessThan(50);

    // Load on node 2 and a checkpoint when it starts.
    const hogStart = Date.now();
    await run(cluster, 1, `${bin} -n hog-start`);
    await run(cluster, 2, "nohup timeout 8 sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &");
    const hogEnd = Date.now() + 8_000;
    await sleep(8_000 + 5_000); // the hog runs, and a process list with the marker is taken

    // Load history: node 2's peak is during the hog; the checkpoint is a blue line with its label.
    // Opened by the main window's button, as an admin does: the main process reads its first columns meanwhile (history.prepare).
    const load = await openFromMain(page, 'Load history', routes.loadHistory(), 'Load history');
    await expect(load.getByRole('img', { name: /^Load: \d+ node\(s\), 1 checkpoint\(s\)$/ })).toBeVisible({ timeout: 20_000 });
    for (const n of cluster.nodes) await expect(load.getByRole('row', { name: `Node ${n.id} history` })).toBeVisible();
    const peak = await peakOf(load, 2);
    expect(peak.value).toBeGreaterThanOrEqual(80);
    expect(peak.t).toBeGreaterThanOrEqual(hogStart);
    expect(peak.t).toBeLessThanOrEqual(hogEnd + 3_000);
    expect((await peakOf(load, 3)).value).toBeLessThan(80);
    // Opens on the recorded range (the minute or so of this history), not on 24 hours.
    expect(await shownSpan(load)).toBeLessThanOrEqual(120);
    await expect(load.getByRole('button', { name: 'Recorded range' })).toHaveAttribute('aria-pressed', 'true');
    // The checkpoint: a blue line with its label.
    const label = load.locator('.checkpoint-label').filter({ hasText: 'hog-start' });
    await expect(label).toBeVisible();
    await expect(label).toHaveCSS('color', 'rgb(31, 79, 216)');
    const cpT = Number(await label.getAttribute('data-t'));
    expect((await canvasColumn(load, cpT)).filter((p) => p.rgb === '#1f4fd8').length).toBeGreaterThan(100);
    // Node 2 chosen in the table: on top, in its own colour (the table's swatch) while idle, in Mosixload's colours at its peak.
    const colour = await load.getByRole('cell', { name: 'Colour of node 2' }).locator('.swatch').getAttribute('data-colour');
    await load.getByRole('button', { name: 'Highlight node 2' }).click();
    await expect(load.getByRole('button', { name: 'Highlight node 2' })).toHaveAttribute('aria-pressed', 'true');
    const idleAt = (await canvasColumn(load, hogStart - 3000)).filter((p) => p.rgb === colour).map((p) => p.v);
    expect(idleAt.length, `node 2's colour ${colour} in the chart before its hog`).toBeGreaterThan(0);
    expect(Math.max(...idleAt)).toBeLessThan(50);
    const atPeak = await canvasColumn(load, peak.t + 1000);
    const yellow = atPeak.filter((p) => p.rgb === '#e0c020').map((p) => p.v);
    const red = atPeak.filter((p) => p.rgb === '#d03030').map((p) => p.v);
    expect(Math.max(...yellow, ...red), 'node 2\'s line at its peak, yellow or red').toBeGreaterThanOrEqual(75);
    // Yellow from 50 to 80 (and the dashed guide at 50), red above 80 (and the guide at 80); a pixel's height is about one value unit.
    expect(yellow.every((v) => v > 48 && v < 82), `yellow at ${yellow.join(', ')}`).toBe(true);
    expect(red.every((v) => v > 78), `red at ${red.join(', ')}`).toBe(true);
    // The cursor over the peak reads every node's value there, node 2's loaded.
    const plot = load.getByRole('slider', { name: 'Cursor in Load' });
    const pbox = (await plot.boundingBox())!;
    const [min, max] = [Number(await plot.getAttribute('aria-valuemin')), Number(await plot.getAttribute('aria-valuemax'))];
    await load.mouse.move(pbox.x + ((peak.t + 1500 - min) / (max - min)) * pbox.width, pbox.y + pbox.height / 2);
    const readout = load.getByRole('list', { name: /^Load at / });
    await expect(readout.getByRole('listitem')).toHaveCount(cluster.nodes.length);
    const node2 = await readout.getByRole('listitem', { name: /^node 2: / }).getAttribute('aria-label');
    expect(Number(/node 2: (\d+)%/.exec(node2!)?.[1])).toBeGreaterThanOrEqual(75);
    // Keys: End puts the cursor on the last second, + zooms in around it.
    await plot.focus();
    await load.keyboard.press('End');
    const before = await shownSpan(load);
    await load.keyboard.press('+');
    await expect.poll(() => shownSpan(load)).toBeLessThan(before);
    await load.getByRole('button', { name: 'Recorded range' }).click();
    // Dragging across the chart zooms into that range; "Whole day" goes back.
    const box = (await load.locator('.chart-box').boundingBox())!;
    await load.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await load.mouse.down();
    await load.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await load.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await load.mouse.up();
    await expect(load.getByRole('button', { name: 'Zoom out' })).toBeEnabled();
    await load.getByRole('button', { name: 'Whole day' }).click();
    await expect(load.getByRole('button', { name: 'Zoom out' })).toBeDisabled();
    expect(await shownSpan(load)).toBe(24 * 3600);
    // The wheel zooms in around the time under the mouse.
    await load.mouse.move(pbox.x + 20, pbox.y + pbox.height / 2);
    await load.mouse.wheel(0, -300);
    await expect.poll(() => shownSpan(load)).toBeLessThan(24 * 3600);
    await load.getByRole('button', { name: 'Whole day' }).click();
    await expect.poll(async () => (await peakOf(load, 2)).t).toBe(peak.t);
    await expect(load.getByLabel('Checkpoints')).toContainText('hog-start at');

    // The node's average window opens from its button.
    const [avgPage] = await Promise.all([load.context().waitForEvent('page'), load.getByRole('button', { name: 'Average of node 2' }).click()]);
    await expect(avgPage.getByRole('progressbar', { name: 'Average load of node 2' })).toHaveAttribute('aria-valuenow', /\d+/);
    await avgPage.close();

    // Process history: the marker is in the last list, not in the first (taken before it started).
    const procs = await app.openRoute(routes.procHistory());
    const slider = procs.getByRole('slider', { name: 'History time' });
    await expect(slider).toBeVisible({ timeout: 20_000 });
    const last = await slider.getAttribute('max');
    expect(Number(last)).toBeGreaterThanOrEqual(2);
    await slider.fill(last!);
    await expect.poll(() => procsShown(procs)).toContain(marker);
    await slider.fill('0');
    await expect.poll(() => procsShown(procs)).not.toContain(marker);

    // Replay in the main window: at the peak, node 2 is loaded though it is idle now.
    await expect.poll(() => loadValue(page, 2), { timeout: 30_000 }).toBeLessThan(50);
    const replay = page.getByRole('slider', { name: 'History time' });
    await expect(replay).toBeVisible({ timeout: 15_000 });
    // One second into the loaded stretch: the exact first second of a spike is an edge case of
    // rounding, not what an admin replays.
    await replay.fill(String(peak.t + 1000));
    await expect(page.getByRole('status', { name: 'Replay time' })).toContainText('REPLAY');
    await expect.poll(() => loadValue(page, 2), { timeout: 10_000 }).toBeGreaterThanOrEqual(80);
    // The past cannot be given a new speed: every slider waits for Live, saying so.
    for (const n of cluster.nodes) {
      const speed = page.getByRole('slider', { name: `Speed of node ${n.id}`, exact: true });
      await expect(speed).toBeDisabled();
      await expect(speed).toHaveAttribute('title', 'replaying the past: press Live to change speeds');
    }
    await page.getByRole('button', { name: 'Live' }).click();
    await expect(page.getByRole('slider', { name: 'Speed of node 2', exact: true })).toBeEnabled();
    await expect(page.getByRole('status', { name: 'Replay time' })).toHaveCount(0);
    await expect.poll(() => loadValue(page, 2), { timeout: 10_000 }).toBeLessThan(50);

    // kill -9, restart: the stale pid file does not block, and nothing before is lost.
    await run(cluster, 1, 'kill -9 $(cat /var/lib/mosixview/collector/mosixcollector.pid)');
    expect(await run(cluster, 1, `${bin} -d`)).toMatch(/started/);
    await sleep(2_000);
    await load.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(async () => (await peakOf(load, 2)).t).toBe(peak.t);
    expect((await peakOf(load, 2)).value).toBe(peak.value);
    await expect(load.locator('.checkpoint-label').filter({ hasText: 'hog-start' })).toHaveCount(1);
    await procs.reload();
    await procs.getByRole('slider', { name: 'History time' }).fill('0');
    await expect.poll(() => procsShown(procs)).not.toContain(marker);

    // -h tells the options; -r saves the history as a dated backup, which the File menu opens.
    expect(await run(cluster, 1, `${bin} -h`)).toMatch(/-r\s+save the current history as a dated backup/);
    const rotated = /history saved as (\S+); a new one started/.exec(await run(cluster, 1, `${bin} -r`));
    expect(rotated, 'mosixcollector -r names the backup').not.toBeNull();
    await load.reload();
    await load.getByRole('button', { name: 'File' }).click();
    await load.getByRole('menuitem', { name: `Open backup ${rotated![1]}` }).click();
    await expect(load.getByText(`Backup ${rotated![1]} of the collector`)).toBeVisible({ timeout: 20_000 });
    await expect(load.getByRole('img', { name: /^Load: \d+ node\(s\), 1 checkpoint\(s\)$/ })).toBeVisible({ timeout: 20_000 });
    await expect.poll(async () => (await peakOf(load, 2)).t).toBe(peak.t);
  } finally {
    await sshExec(cluster, 1, `${bin} -k; pkill -x ${marker}; rm -f ${cluster.dir}/${marker}`);
  }
});

test('with no GUI connected the collector still records every node, from the load exchange', async ({ app, browser, cluster }) => {
  test.setTimeout(180_000);
  await allUp(app.page, cluster.nodes.map((n) => n.id)); // the GUI installs the cluster key and map
  for (const n of cluster.nodes) await expect.poll(() => loadValue(app.page, n.id), { timeout: 60_000 }).toBeLessThan(50);
  const bin = `${cluster.dir}/agent/bin/mosixcollector`;
  await run(cluster, 1, `${bin} -c`);
  await app.stop(); // from here on nobody pushes views to node 1's agent
  expect(await run(cluster, 1, `${bin} -d`)).toMatch(/started/);
  try {
    await sleep(4_000);
    const hogStart = Date.now();
    await run(cluster, 2, "nohup timeout 12 sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &");
    const hogEnd = Date.now() + 12_000;
    await sleep(12_000 + 4_000);
    const again = await launchApp(browser, ['--profile', cluster.profilePath]);
    try {
      const load = await again.openRoute(routes.loadHistory());
      await expect(load.getByRole('img', { name: /^Load: 4 node\(s\)/ })).toBeVisible({ timeout: 20_000 });
      for (const n of cluster.nodes) await expect(load.getByRole('row', { name: `Node ${n.id} history` })).toBeVisible();
      // Node 2's average over the seconds its hog surely ran (the chart's X button, for that range).
      // News of node 2 reaches node 1 by gossip, a second or few late: the range starts 4 s in.
      const avg = await again.openRoute(routes.average('load', 2, undefined, { from: hogStart + 4_000, to: hogEnd - 1_000 }));
      await expect(avg.getByRole('progressbar', { name: 'Average load of node 2' })).toBeVisible({ timeout: 20_000 });
      expect(Number(await avg.getByRole('progressbar', { name: 'Average load of node 2' }).getAttribute('aria-valuenow')), 'node 2 loaded while no GUI ran').toBeGreaterThanOrEqual(80);
      // ... and node 3, idle meanwhile, was recorded too (up, not loaded).
      const idle = await again.openRoute(routes.average('load', 3, undefined, { from: hogStart + 4_000, to: hogEnd - 1_000 }));
      await expect(idle.getByRole('progressbar', { name: 'Average load of node 3' })).toBeVisible({ timeout: 20_000 });
      expect(Number(await idle.getByRole('progressbar', { name: 'Average load of node 3' }).getAttribute('aria-valuenow'))).toBeLessThan(80);
    } finally {
      await again.stop();
    }
  } finally {
    await sshExec(cluster, 1, `${bin} -k`);
  }
});

test('the collector is started, checkpointed, rotated and stopped from the main window, each with its node\'s answer', async ({ app, cluster }) => {
  test.setTimeout(150_000);
  const { page } = app;
  await allUp(page, cluster.nodes.map((n) => n.id));
  const bin = `${cluster.dir}/agent/bin/mosixcollector`;
  await run(cluster, 1, `${bin} -c`); // stopped, no history: what a new admin finds
  const bar = page.getByRole('region', { name: 'History' });
  const status = bar.getByRole('status', { name: 'Collector status' });
  const answer = bar.getByRole('status', { name: 'Collector answer' });
  const mark = `gui-mark-${Math.floor(Math.random() * 9000 + 1000)}`;
  try {
    await expect(status).toHaveText('not running', { timeout: 15_000 });
    await bar.getByRole('button', { name: 'Start collector' }).click();
    await expect(answer).toHaveText(/^node 1: mosixcollector started \(pid \d+\)/, { timeout: 20_000 });
    await expect(status).toHaveText(/^collecting \(pid \d+\)$/);
    await expect(bar.getByRole('button', { name: 'Start collector' })).toHaveCount(0);

    // A checkpoint with a note: the load history lists it.
    await bar.getByRole('button', { name: 'Checkpoint' }).click();
    await bar.getByRole('textbox', { name: 'Checkpoint note' }).fill(mark);
    // The strip holds the note field at 1200x800 and nothing in it clips or overflows.
    await page.setViewportSize({ width: 1200, height: 800 });
    await bar.getByRole('textbox', { name: 'Checkpoint note' }).fill('before the kernel upgrade');
    expect(await overflowProblems(page)).toEqual([]);
    await bar.getByRole('textbox', { name: 'Checkpoint note' }).fill(mark);
    await bar.getByRole('button', { name: 'Write checkpoint' }).click();
    await expect(answer).toHaveText(new RegExp(`^node 1: checkpoint "${mark}" written at `), { timeout: 15_000 });
    // Opened by the main window's button, as an admin does: the main process reads its first columns meanwhile (history.prepare).
    const load = await openFromMain(page, 'Load history', routes.loadHistory(), 'Load history');
    await expect(load.getByLabel('Checkpoints')).toContainText(`${mark} at`, { timeout: 20_000 });

    // Rotate, after saying yes: the history becomes a backup the File menu opens, with the checkpoint in it.
    await bar.getByRole('button', { name: 'Rotate history' }).click();
    await bar.getByRole('group', { name: 'Confirm: rotate the history' }).getByRole('button', { name: 'Rotate' }).click();
    await expect(answer).toHaveText(/^node 1: history saved as \S+; a new one started$/, { timeout: 15_000 });
    const backup = /history saved as (\S+);/.exec((await answer.textContent()) ?? '')![1]!;
    // The backup's name is shown whole, not cut short.
    expect(await answer.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    await load.reload();
    await load.getByRole('button', { name: 'File' }).click();
    await load.getByRole('menuitem', { name: `Open backup ${backup}` }).click();
    await expect(load.getByText(`Backup ${backup} of the collector`)).toBeVisible({ timeout: 20_000 });
    await expect(load.getByLabel('Checkpoints')).toContainText(`${mark} at`, { timeout: 20_000 });

    // Stop, after saying yes; the node agrees it is stopped.
    await bar.getByRole('button', { name: 'Stop collector' }).click();
    await bar.getByRole('group', { name: 'Confirm: stop the collector' }).getByRole('button', { name: 'Stop' }).click();
    await expect(answer).toHaveText(/^node 1: mosixcollector stopped \(pid \d+\)$/, { timeout: 30_000 });
    await expect(status).toHaveText('not running');
    expect(await run(cluster, 1, `${bin} -k`)).toMatch(/mosixcollector is not running/);
  } finally {
    await sshExec(cluster, 1, `${bin} -k`);
  }
});
