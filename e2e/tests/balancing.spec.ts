/**
 * The balancing core on the 4-node test cluster: controls from the node configuration
 * window and mosctl, the load exchange (cluster view, forged and replayed datagrams), the
 * CLI (setpe, mon, readers), and, in their own group, the job-moving proofs that need the
 * migration service.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures.js';
import { allUp, lamp } from '../support/mainWindow.js';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';
import { parseHpcMap } from '../../shared/hpcMap.js';

const tool = (c: TestCluster, name: string) => `${c.dir}/agent/bin/${name}`;
const mosctl = async (c: TestCluster, node: number, args: string) => sshExec(c, node, `${tool(c, 'mosctl')} ${args}`);
const out = async (c: TestCluster, node: number, args: string) => (await mosctl(c, node, args)).stdout;

function counters(status: string) {
  const m = /Load exchange: (\d+) accepted, (\d+) forged, (\d+) stale, (\d+) replayed/.exec(status);
  if (!m) throw new Error(`no exchange counters in mosctl status:\n${status}`);
  return { accepted: Number(m[1]), forged: Number(m[2]), stale: Number(m[3]), replayed: Number(m[4]) };
}

/** Every flag off on every node, whatever a failed test left behind (controls persist). */
async function resetFlags(c: TestCluster) {
  await Promise.all(c.nodes.map((n) => mosctl(c, n.id, 'nostay').then(() => mosctl(c, n.id, 'nolstay')).then(() => mosctl(c, n.id, 'noblock')).then(() => mosctl(c, n.id, 'noquiet'))));
}

async function configWindow(app: { openRoute(r: string): Promise<Page> }, node: number | 'all') {
  const page = await app.openRoute(`node/${node}`);
  const region = page.getByRole('region', { name: node === 'all' ? 'All nodes configuration' : `Node ${node} configuration` });
  await expect(region).toBeVisible();
  return { page, region };
}

test.describe('balancing without moving jobs', () => {
  test.afterEach(async ({ cluster }) => resetFlags(cluster));

  test("the configuration window's checkboxes show and change the node's real state", async ({ app, cluster }) => {
    await allUp(app.page, [3]);
    await mosctl(cluster, 3, 'block');
    const { region } = await configWindow(app, 3);
    await expect(region.getByRole('checkbox', { name: 'Block guests' })).toBeChecked({ timeout: 10_000 });
    await expect(region.getByRole('checkbox', { name: 'Automigration' })).toBeChecked();
    await expect(region).toContainText('mvnode3');
    await expect(region).toContainText(cluster.nodes[2]!.address);

    await region.getByRole('checkbox', { name: 'Automigration' }).click();
    await expect(region.getByRole('checkbox', { name: 'Automigration' })).not.toBeChecked();
    await region.getByRole('checkbox', { name: 'Local processes stay' }).click();
    await expect(region.getByRole('checkbox', { name: 'Local processes stay' })).toBeChecked();
    await region.getByRole('checkbox', { name: 'Quiet' }).click();
    await expect(region.getByRole('checkbox', { name: 'Quiet' })).toBeChecked();
    expect(await out(cluster, 3, 'status')).toContain('Flags: stay on, lstay on, block on, quiet on (automigration off)');
    await expect(region.getByRole('status', { name: 'Result on node 3' })).toHaveText('Quiet on: done');

    await region.getByRole('checkbox', { name: 'Quiet' }).click();
    await region.getByRole('checkbox', { name: 'Automigration' }).click();
    await expect(region.getByRole('checkbox', { name: 'Automigration' })).toBeChecked();
    await expect(region.getByRole('checkbox', { name: 'Quiet' })).not.toBeChecked();
    expect(await out(cluster, 3, 'status')).toContain('Flags: stay off, lstay on, block on, quiet off (automigration on)');
    // A change made on the node itself shows up in the open window.
    await mosctl(cluster, 3, 'noblock');
    await expect(region.getByRole('checkbox', { name: 'Block guests' })).not.toBeChecked({ timeout: 10_000 });
  });

  test('the all-nodes window sets a flag on every node and shows each node its result', async ({ app, cluster }) => {
    await allUp(app.page, cluster.nodes.map((n) => n.id));
    const { page, region } = await configWindow(app, 'all');
    await expect(region.getByRole('checkbox', { name: 'Block guests' })).toBeEnabled({ timeout: 10_000 });
    await region.getByRole('checkbox', { name: 'Block guests' }).click();
    for (const n of cluster.nodes) {
      await expect(page.getByRole('status', { name: `Result on node ${n.id}` })).toHaveText('Block guests on: done');
      expect(await out(cluster, n.id, 'status')).toContain('block on');
    }
    await expect(region.getByRole('checkbox', { name: 'Block guests' })).toBeChecked();
  });

  test('block on node 3 shows in the cluster view of node 1', async ({ app, cluster }) => {
    await allUp(app.page, [1, 3]);
    await expect.poll(() => out(cluster, 1, 'status 3'), { timeout: 10_000 }).toContain('guests allowed');
    await mosctl(cluster, 3, 'block');
    await expect.poll(() => out(cluster, 1, 'status 3'), { timeout: 10_000 }).toMatch(/^Node 3 \(.*\) is up: .*guests blocked/);
    await mosctl(cluster, 3, 'noblock');
    await expect.poll(() => out(cluster, 1, 'status 3'), { timeout: 10_000 }).toContain('guests allowed');
  });

  test('mosctl getload 2 on node 1 rises while node 2 runs a CPU hog', async ({ app, cluster }) => {
    await allUp(app.page, [1, 2]);
    const load2 = async () => Number((await out(cluster, 1, 'getload 2')).trim());
    await expect.poll(load2, { timeout: 30_000 }).toBeLessThan(50);
    await sshExec(cluster, 2, "nohup timeout 12 sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &");
    await expect.poll(load2, { timeout: 10_000, intervals: [500] }).toBeGreaterThanOrEqual(80);
  });

  test('setpe -r prints the installed map; mon --once shows every node', async ({ app, cluster }) => {
    await allUp(app.page, cluster.nodes.map((n) => n.id));
    const map = (await sshExec(cluster, 2, `${tool(cluster, 'setpe')} -r`)).stdout;
    expect(parseHpcMap(map).map((n) => [n.id, n.host])).toEqual(cluster.nodes.map((n) => [n.id, n.address]));
    await expect
      .poll(async () => (await sshExec(cluster, 1, `${tool(cluster, 'mon')} --once`)).stdout, { timeout: 10_000 })
      .toContain(`mon: ${cluster.nodes.length} node(s), ${cluster.nodes.length} up; this is node 1`);
    const frame = (await sshExec(cluster, 1, `${tool(cluster, 'mon')} --once`)).stdout;
    for (const n of cluster.nodes) expect(frame).toMatch(new RegExp(`^ +${n.id}  ${n.address.replace(/\./g, '\\.')} +up +load \\[[#.]{20}\\]`, 'm'));
    const bad = await sshExec(cluster, 1, `${tool(cluster, 'setpe')} -w -f /nonexistent.map`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('setpe: cannot read /nonexistent.map');
  });

  test('forged and replayed exchange datagrams from a process without the key change nothing', async ({ app, cluster }) => {
    await allUp(app.page, [1, 2]);
    const target = cluster.nodes[1]!;
    await expect.poll(() => out(cluster, 2, 'status 1'), { timeout: 10_000 }).toMatch(/is up/);
    // Capture one real datagram on its way to node 2, from the root namespace (no key involved).
    const captured = await captureDatagram(target.vethOuter, target.address);
    const before = counters(await out(cluster, 2, 'status'));
    const script = `${cluster.dir}/forge.cjs`;
    writeFileSync(script, FORGE_SCRIPT);
    const sent = await sshExec(cluster, 1, `${process.execPath} ${script} ${target.address} ${captured}`);
    expect(sent.code, sent.stderr).toBe(0);
    await expect
      .poll(async () => {
        const now = counters(await out(cluster, 2, 'status'));
        return { forged: now.forged - before.forged, refused: now.replayed + now.stale - before.replayed - before.stale };
      }, { timeout: 10_000 })
      .toEqual({ forged: 3, refused: 2 });
    // The forged "node 1 has load 99" never reached the view, and no stranger joined it.
    expect(Number((await out(cluster, 2, 'getload 1')).trim())).toBeLessThan(5000);
    const status9 = await mosctl(cluster, 2, 'status 9');
    expect(status9.stdout).toContain('Node 9 is not in this cluster');
    expect(await out(cluster, 2, 'status 1')).toMatch(/^Node 1 \(.*\) is up/);
  });

  test('Stop agent stops the node\'s daemon for good; Start agent brings it back', async ({ app, cluster }) => {
    await allUp(app.page, [4]);
    const { region } = await configWindow(app, 4);
    await region.getByRole('button', { name: 'Stop agent' }).click();
    await expect(region.getByRole('status', { name: 'Result on node 4' })).toHaveText('agent stopped', { timeout: 15_000 });
    await expect(lamp(app.page, 4, 'down')).toBeVisible({ timeout: 10_000 });
    await expect.poll(async () => (await mosctl(cluster, 4, 'status')).stderr, { timeout: 10_000 }).toContain('agent is not running');
    // isup from node 1 pings node 4's agent itself: down now, with why.
    const down = await mosctl(cluster, 1, 'isup 4');
    expect(down.code, down.stdout + down.stderr).toBe(1);
    expect(down.stdout).toMatch(/^4 is down: /);
    // The GUI's reconnect must not start it again behind the admin's back.
    await new Promise((r) => setTimeout(r, 6000));
    expect((await mosctl(cluster, 4, 'status')).code).not.toBe(0);
    await region.getByRole('button', { name: 'Start agent' }).click();
    await expect(region.getByRole('status', { name: 'Result on node 4' })).toHaveText('agent started', { timeout: 40_000 });
    await expect(lamp(app.page, 4, 'up')).toBeVisible();
    expect(await out(cluster, 4, 'status')).toContain('Node 4 of 4');
    await expect.poll(async () => (await mosctl(cluster, 1, 'isup 4')).stdout, { timeout: 15_000 }).toMatch(/^4 is up \(answered in [\d.]+ ms\)/);
  });

  test('a quiet node gathers and sends nothing, yet answers isup', async ({ cluster }) => {
    await mosctl(cluster, 3, 'quiet');
    // Node 1 soon sees node 3 down for balancing; node 3's own view of the others ages to down.
    await expect.poll(async () => (await mosctl(cluster, 1, 'status 3')).stdout, { timeout: 15_000 }).toMatch(/is down/);
    await expect.poll(async () => (await mosctl(cluster, 3, 'status 1')).stdout, { timeout: 15_000 }).toMatch(/is down/);
    const ping = await mosctl(cluster, 1, 'isup 3');
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
    await mosctl(cluster, 3, 'noquiet');
    await expect.poll(async () => (await mosctl(cluster, 1, 'status 3')).stdout, { timeout: 15_000 }).toMatch(/^Node 3 \(.*\) is up/);
    await expect.poll(async () => (await mosctl(cluster, 3, 'status 1')).stdout, { timeout: 15_000 }).toMatch(/^Node 1 \(.*\) is up/);
  });
});

/**
 * The job-moving proofs. They need the migration service (the jobs feature filling
 * services.migration); without it each fails, saying so, rather than being skipped.
 */
test.describe('balancing that moves jobs (needs the migration service)', () => {
  const MARK = 'mvbalhog';
  // A job is its runner's wrappers plus the hog itself: count the hogs only.
  // Running copies only: while a job migrates, its frozen source copy and its restored,
  // still stopped target copy both exist for a moment (state T), but only one ever runs.
  const hogs = (c: TestCluster, node: number) =>
    sshExec(c, node, `ps -eo stat=,args= | grep -cE '^[^T][^ ]* +sh -c while :; do :; done ${MARK}$' || true`).then((r) => Number(r.stdout.trim() || '0'));
  const stopped = (c: TestCluster, node: number) =>
    sshExec(c, node, `ps -eo stat=,args= | grep -cE '^T[^ ]* +sh -c while :; do :; done ${MARK}$' || true`).then((r) => Number(r.stdout.trim() || '0'));
  let speeds: string[] = [];
  const counts = (c: TestCluster) => Promise.all(c.nodes.map((n) => hogs(c, n.id)));
  const startHogs = async (c: TestCluster, node: number, n: number) => {
    for (let i = 0; i < n; i++) {
      const r = await sshExec(c, node, `cd /tmp && ${tool(c, 'mosrun')} sh -c 'while :; do :; done' ${MARK}`);
      expect(r.code, r.stderr).toBe(0);
    }
  };

  test.beforeEach(async ({ app, cluster }) => {
    await allUp(app.page, cluster.nodes.map((n) => n.id));
    const status = await out(cluster, 1, 'status');
    if (!status.includes('Balancer: moves jobs')) {
      throw new Error(
        'the migration service is missing: node 1\'s agent moves no jobs (services.migration is not filled by the jobs feature yet), ' +
          `so the job-moving proofs cannot run. mosctl status said:\n${status}`,
      );
    }
    // Calibrated speeds differ by chance between nodes sharing one machine: make them equal.
    speeds = await Promise.all(cluster.nodes.map(async (n) => (await out(cluster, n.id, 'getspeed')).trim()));
    await Promise.all(cluster.nodes.map((n) => mosctl(cluster, n.id, 'setspeed 10000')));
  });
  test.afterEach(async ({ cluster }) => {
    // Stop all moves first: a job in flight when the hogs are killed would arrive later.
    await Promise.all(cluster.nodes.map((n) => mosctl(cluster, n.id, 'stay')));
    await until(
      async () => {
        await Promise.all(cluster.nodes.map((n) => sshExec(cluster, n.id, `pkill -f '[d]one ${MARK}'; true`)));
        await new Promise((r) => setTimeout(r, 2000));
        return (await counts(cluster)).reduce((a, b) => a + b, 0);
      },
      (n) => n === 0,
      30_000,
    );
    await resetFlags(cluster);
    await Promise.all(cluster.nodes.map((n, i) => mosctl(cluster, n.id, `setspeed ${speeds[i]}`)));
  });

  test('8 CPU-bound jobs started on node 1 spread so that no node holds more than 3 within 30 s', async ({ cluster }) => {
    await startHogs(cluster, 1, 8);
    const c = await until(() => counts(cluster), (x) => x.reduce((a, b) => a + b, 0) === 8 && Math.max(...x) <= 3, 30_000);
    const ps = (await sshExec(cluster, 1, 'ps -eo pid,ppid,stat,args | grep [m]vbalhog')).stdout;
    expect(Math.max(...c), `jobs per node ${c.join(', ')}; node 1: ${await out(cluster, 1, 'status')}\n${ps}`).toBeLessThanOrEqual(3);
  });

  test('block on node 3 keeps guests off it', async ({ cluster }) => {
    await mosctl(cluster, 3, 'block');
    await startHogs(cluster, 1, 8);
    // Looked at every second while the jobs spread (node 1 down to 4) and 10 s more: never a guest on node 3.
    let settledFor = 0;
    const end = Date.now() + 40_000;
    while (settledFor < 10 && Date.now() < end) {
      const c = await counts(cluster);
      expect(c[2], `jobs per node ${c.join(', ')}`).toBe(0);
      if (settledFor > 0 || c[0]! <= 4) settledFor++;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(settledFor, 'the jobs spread to the other nodes').toBe(10);
  });

  test('expel on node 2 (its configuration window\'s button) empties it of guests', async ({ app, cluster }) => {
    // Nodes 3 and 4 refuse guests, so node 2 is where jobs must go.
    await Promise.all([mosctl(cluster, 3, 'block'), mosctl(cluster, 4, 'block')]);
    await startHogs(cluster, 1, 8);
    await expect.poll(() => hogs(cluster, 2), { timeout: 30_000 }).toBeGreaterThan(0);
    await mosctl(cluster, 2, 'block'); // or the balancer could send new guests at once
    const { region } = await configWindow(app, 2);
    await expect(region.getByRole('status', { name: 'Guests here' })).toHaveText(/^[1-9]\d* guests? here$/, { timeout: 10_000 });
    await region.getByRole('button', { name: 'Expel guests' }).click();
    await expect(region.getByRole('status', { name: 'Result on node 2' })).toHaveText(/^expel: \d+ job\(s\) sent home/, { timeout: 60_000 });
    expect(await hogs(cluster, 2)).toBe(0);
    await expect(region.getByRole('status', { name: 'Guests here' })).toHaveText('0 guests here', { timeout: 10_000 });
  });

  test('bring on node 1 brings its jobs home, and stay keeps them there', async ({ cluster }) => {
    await startHogs(cluster, 1, 8);
    await expect.poll(() => hogs(cluster, 1), { timeout: 30_000 }).toBeLessThanOrEqual(3);
    await mosctl(cluster, 1, 'stay');
    expect(await out(cluster, 1, 'status')).toMatch(/, [1-9]\d* own job\(s\) away/);
    const r = await mosctl(cluster, 1, 'bring');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await expect.poll(() => hogs(cluster, 1), { timeout: 30_000 }).toBe(8);
    expect(await out(cluster, 1, 'status')).toMatch(/, 0 own job\(s\) away/);
    await new Promise((res) => setTimeout(res, 10_000));
    expect(await hogs(cluster, 1)).toBe(8);
  });

  test('a node whose speed is twice the others ends up with more jobs', async ({ cluster }) => {
    await mosctl(cluster, 4, 'setspeed 20000');
    await startHogs(cluster, 1, 8);
    // Loads of nodes sharing one machine jitter, so a move may be under way at any instant
    // (its job then runs nowhere for a moment, and the nodes' ps calls are not one instant):
    // wait for the settled picture. A job lost or run twice keeps the sum off 8 for good.
    const c = await until(
      () => counts(cluster),
      (x) => x.reduce((a, b) => a + b, 0) === 8 && x[3]! >= Math.max(...x.slice(0, 3)) + 1,
      60_000,
    );
    const seen = `jobs per node: ${c.join(', ')}; stopped copies per node: ${(await Promise.all(cluster.nodes.map((n) => stopped(cluster, n.id)))).join(', ')}`;
    expect(c.reduce((a, b) => a + b, 0), seen).toBe(8);
    expect(c[3]!, seen).toBeGreaterThanOrEqual(Math.max(...c.slice(0, 3)) + 1);
  });
});

/** Polls `get` until `ok` or the timeout; returns the last value, for a message that shows it. */
async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Three forged datagrams (noise, a fake sealed frame, a plaintext claim), then the captured one twice. */
const FORGE_SCRIPT = `
const dgram = require('node:dgram');
const crypto = require('node:crypto');
const [host, hex] = process.argv.slice(2);
const claim = { from: 1, seq: Date.now() * 1000, t: Date.now(), body: { from: 1, to: 2, entries: [{ node: 1, load: 99, speed: 10000, cpus: 1, memAvailKb: 1, memTotalKb: 2, util: 0, t: Date.now() * 2, seq: 1e12 }] } };
const msgs = [crypto.randomBytes(200), Buffer.concat([Buffer.from([1]), crypto.randomBytes(120)]), Buffer.from(JSON.stringify(claim)), Buffer.from(hex, 'hex'), Buffer.from(hex, 'hex')];
const s = dgram.createSocket('udp4');
let n = 0;
for (const m of msgs) s.send(m, 7249, host, (e) => { if (e) { console.error(e.message); process.exit(1); } if (++n === msgs.length) s.close(); });
`;

/** The UDP payload (hex) of the next exchange datagram to `dst`, sniffed on the node's veth. */
function captureDatagram(iface: string, dst: string): Promise<string> {
  const py = `
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3))
s.bind((sys.argv[1], 0))
s.settimeout(15)
while True:
    p = s.recv(65535)
    if p[12:14] != b'\\x08\\x00': continue
    ihl = (p[14] & 15) * 4
    ip = p[14:14 + ihl]
    if ip[9] != 17 or socket.inet_ntoa(ip[16:20]) != sys.argv[2]: continue
    u = p[14 + ihl:14 + ihl + 8]
    if int.from_bytes(u[2:4], 'big') != 7249: continue
    n = int.from_bytes(u[4:6], 'big') - 8
    sys.stdout.write(p[14 + ihl + 8:14 + ihl + 8 + n].hex())
    break
`;
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', py, iface, dst], { stdio: ['ignore', 'pipe', 'pipe'] });
    let so = '';
    let se = '';
    child.stdout.on('data', (d: Buffer) => (so += d.toString()));
    child.stderr.on('data', (d: Buffer) => (se += d.toString()));
    child.on('close', (code) => (code === 0 && so ? resolve(so.trim()) : reject(new Error(`capture failed (${code}): ${se}`))));
  });
}
