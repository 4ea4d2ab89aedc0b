/**
 * Disk and network per node, on the 4-node test cluster: node 2 sends bytes over TCP to node 3
 * for a few seconds and writes to its directory past the page cache (dd oflag=direct); the
 * main window's rows show node 2 sending and writing and node 3 receiving, the collector records
 * it, the I/O history window draws it, and its export holds exactly what its table reads; and
 * `mosixcollector --export --history io` prints the same bytes. Every node is a network namespace
 * of one machine: its network figure is its own veth's, its disk figure the machine's disks (all
 * nodes show the same), so node 2's disk write is checked, and only the network apart by node.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures.js';
import { allUp } from '../support/mainWindow.js';
import { overflowProblems } from '../support/layout.js';
import { sshExec } from '../cluster/testCluster.js';
import { peakOf, run } from '../support/history.js';
import { routes } from '../../shared/windows.js';
import { formatRate } from '../../renderer/ioFigures.js';

// The collector choice is persisted per profile: a fresh config dir keeps it at node 1.
process.env.MOSIXVIEW_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'mvcfg-'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;

/** "1.2M" -> bytes per second, as the row's short figures count (k = 1024). */
function rateOf(short: string): number {
  const m = /^(\d+(?:\.\d+)?)([kMGT]?)$/.exec(short.trim());
  if (!m) throw new Error(`"${short}" is not a rate`);
  return Number(m[1]) * 1024 ** ' kMGT'.indexOf(m[2] || ' ');
}

/** The row's pair ("N 45k/12k") as two rates; undefined while not measured ("-"). */
async function pairOf(page: Page, name: string): Promise<[number, number] | undefined> {
  const text = (await page.getByRole('group', { name, exact: true }).textContent()) ?? '';
  const m = /^[DN] (\S+)\/(\S+)$/.exec(text.trim());
  return m ? [rateOf(m[1]!), rateOf(m[2]!)] : undefined;
}

async function exportFile(page: Page, item: 'Export CSV…' | 'Export JSON…'): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: 'File' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: item }).click()]);
  await expect(page.getByRole('status', { name: 'Export' })).toContainText('(downloaded)');
  return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
}

/** A node's column of a CSV export by its metric: [epoch ms, figure] for every row where it has one. */
function column(csv: string, node: number, metric: string): { t: number; v: number }[] {
  const [head, ...rows] = csv.trim().split('\n');
  const names = head!.split(',');
  const at = names.findIndex((h) => new RegExp(`^node ${node} \\(.*\\) ${metric} \\(B/s\\)$`).test(h));
  expect(at, `node ${node}'s ${metric} in ${head}`).toBeGreaterThan(1);
  return rows.map((r) => r.split(',')).filter((f) => f[at] !== '').map((f) => ({ t: Number(f[1]), v: Number(f[at]) }));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Sends about 8 MB/s for `seconds` to HOST:PORT (retrying the connection until the receiver listens). */
const SENDER = `
const net = require('net');
const [host, port, seconds] = process.argv.slice(2);
const chunk = Buffer.alloc(256 * 1024, 7);
const until = Date.now() + Number(seconds) * 1000;
const go = () => {
  const s = net.connect(Number(port), host);
  s.on('error', () => setTimeout(go, 200));
  s.on('connect', () => {
    const t = setInterval(() => {
      if (Date.now() > until) { clearInterval(t); s.end(); return; }
      s.write(chunk);
    }, 31);
  });
};
go();
`;
/** Reads and drops what arrives on HOST:PORT, for `seconds`. */
const RECEIVER = `
const net = require('net');
const [host, port, seconds] = process.argv.slice(2);
const srv = net.createServer((s) => s.resume()).listen(Number(port), host);
setTimeout(() => process.exit(0), Number(seconds) * 1000);
`;

test('disk and network per node: the rows, the I/O history and its export', async ({ app, cluster }) => {
  test.setTimeout(180_000);
  const { page } = app;
  const ids = cluster.nodes.map((n) => n.id);
  const [node2, node3] = [cluster.nodes[1]!, cluster.nodes[2]!];
  await page.setViewportSize({ width: 1200, height: 800 });
  await allUp(page, ids);
  // Every row measures both pairs once its agent has a second sample.
  for (const id of ids) {
    await expect.poll(() => pairOf(page, `Network receive/send of node ${id}`), { timeout: 30_000 }).toBeDefined();
    await expect.poll(() => pairOf(page, `Disk read/write of node ${id}`), { timeout: 30_000 }).toBeDefined();
  }
  // At rest no node sends a MB a second (the load exchange and the GUI's own figures are some kB).
  for (const id of ids) expect((await pairOf(page, `Network receive/send of node ${id}`))![1]).toBeLessThan(MB);

  const bin = `${cluster.dir}/agent/bin/mosixcollector`;
  const sender = join(cluster.dir, 'io-sender.cjs');
  const receiver = join(cluster.dir, 'io-receiver.cjs');
  writeFileSync(sender, SENDER);
  writeFileSync(receiver, RECEIVER);
  const ddFile = join(node2.dir, 'io-test.bin');
  await run(cluster, 1, `${bin} -c`);
  expect(await run(cluster, 1, `${bin} -d`)).toMatch(/started/);
  try {
    await sleep(3_000);
    await run(cluster, 3, `nohup ${process.execPath} ${receiver} ${node3.address} 5555 20 </dev/null >/dev/null 2>&1 &`);
    await run(cluster, 2, `nohup ${process.execPath} ${sender} ${node3.address} 5555 10 </dev/null >/dev/null 2>&1 &`);
    // Past the page cache, so the bytes reach the disk while the test looks.
    await run(cluster, 2, `nohup sh -c 'for i in 1 2 3 4 5 6 7 8; do dd if=/dev/zero of=${ddFile} bs=1M count=16 oflag=direct conv=notrunc 2>/dev/null; sleep 0.5; done; rm -f ${ddFile}' </dev/null >/dev/null 2>&1 &`);

    // The rows while it runs: node 2 sends, node 3 receives, node 4 does neither; node 2 writes.
    await expect.poll(async () => (await pairOf(page, 'Network receive/send of node 2'))?.[1] ?? 0, { timeout: 10_000 }).toBeGreaterThan(2 * MB);
    await expect.poll(async () => (await pairOf(page, 'Network receive/send of node 3'))?.[0] ?? 0, { timeout: 5_000 }).toBeGreaterThan(2 * MB);
    expect(Math.max(...(await pairOf(page, 'Network receive/send of node 4'))!)).toBeLessThan(MB);
    await expect.poll(async () => (await pairOf(page, 'Disk read/write of node 2'))?.[1] ?? 0, { timeout: 10_000 }).toBeGreaterThan(MB);
    // One line per row at 1200x800: the figures sit level with the row's CPUs.
    for (const id of ids) {
      const row = page.getByRole('row', { name: `Node ${id} row` });
      const [io, cpus] = [await row.getByRole('group', { name: `Network receive/send of node ${id}` }).boundingBox(), await row.getByLabel(`CPUs of node ${id}`).boundingBox()];
      expect(Math.abs(io!.y + io!.height / 2 - (cpus!.y + cpus!.height / 2)), `node ${id}'s figures level with its CPUs`).toBeLessThan(4);
      expect(io!.height).toBeLessThan(20);
    }
    expect(await overflowProblems(page)).toEqual([]);

    await sleep(12_000);
    // Stopped, the history holds still: the table and every export read the same seconds.
    expect(await run(cluster, 1, `${bin} -k`)).toMatch(/stopped/);

    const io = await app.openRoute(routes.ioHistory());
    await io.setViewportSize({ width: 1200, height: 800 });
    for (const chart of ['Disk read', 'Disk write', 'Network receive', 'Network send']) {
      await expect(io.getByRole('img', { name: new RegExp(`^${chart}: 4 node\\(s\\)`) })).toBeVisible({ timeout: 20_000 });
    }
    for (const id of ids) await expect(io.getByRole('row', { name: `Node ${id} history` })).toBeVisible();
    // The table is of Network receive: node 3's peak is the traffic, node 4's is not.
    expect((await peakOf(io, 3)).value).toBeGreaterThan(2 * MB);
    expect((await peakOf(io, 4)).value).toBeLessThan(MB);
    expect(await overflowProblems(io)).toEqual([]);

    const csv = await exportFile(io, 'Export CSV…');
    expect(csv.name).toMatch(/^history-io-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/);
    const header = csv.text.split('\n')[0]!.split(',');
    expect(header.slice(2).map((h) => /^node (\d+) \(.+\) (\w+) \(B\/s\)$/.exec(h)?.slice(1).join(' '))).toEqual(
      ids.flatMap((id) => ['diskRead', 'diskWrite', 'netRx', 'netTx'].map((m) => `${id} ${m}`)),
    );
    for (const id of ids) {
      // Exactly the table's figures: its peak (as stored), the first second of it, its average.
      const rx = column(csv.text, id, 'netRx');
      expect(rx.length, `node ${id}'s recorded seconds`).toBeGreaterThan(10);
      const peak = await peakOf(io, id);
      const max = Math.max(...rx.map((x) => x.v));
      expect(max, `node ${id}'s peak`).toBe(peak.value);
      expect(rx.find((x) => x.v === max)!.t, `node ${id}'s peak time`).toBe(peak.t);
      await expect(io.getByRole('cell', { name: `Average of node ${id} value` })).toHaveText(formatRate(mean(rx.map((x) => x.v))));
    }
    expect(Math.max(...column(csv.text, 2, 'netTx').map((x) => x.v))).toBeGreaterThan(2 * MB);
    expect(Math.max(...column(csv.text, 2, 'diskWrite').map((x) => x.v))).toBeGreaterThan(MB);

    // JSON: the same rows; and on the collector's node, for the same range and nodes, the same bytes.
    const json = await exportFile(io, 'Export JSON…');
    const doc = JSON.parse(json.text);
    expect(doc).toMatchObject({ format: 'mosixview-history-export', family: 'io', nodes: ids.map((id) => ({ id })) });
    const stamp = (ms: number) => `@${(ms / 1000).toFixed(3)}`;
    const cli = `${bin} --export ${stamp(doc.fromMs)} ${stamp(doc.toMs)} --nodes ${ids.join(',')} --history io`;
    expect(await run(cluster, 1, cli)).toBe(csv.text);
    expect(await run(cluster, 1, `${cli} --format json`)).toBe(json.text);
  } finally {
    await sshExec(cluster, 1, `${bin} -k`);
    await sshExec(cluster, 2, `rm -f ${ddFile}`);
  }
});
