/**
 * The balancing core on the 4-node test cluster, without moving jobs: controls from the node
 * configuration window and mosctl, the load exchange (cluster view, forged and replayed
 * datagrams), the CLI (setpe, mon, readers, isup). The job-moving proofs are in
 * balancingMoves.spec.ts.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { allUp, lamp } from '../support/mainWindow.js';
import { sshExec } from '../cluster/testCluster.js';
import { parseHpcMap } from '../../shared/hpcMap.js';
import { configWindow, mosctl, out, resetFlags } from '../support/balancing.js';
import { tool } from '../support/jobs.js';
import { parseExchangeLine } from '../support/exchangeLine.js';
import { launchApp } from '../support/app.js';

function counters(status: string) {
  const c = parseExchangeLine(status);
  if (!c) throw new Error(`no exchange counters in mosctl status:\n${status}`);
  return c;
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

  test("Stop agent stops the node's daemon for good, also for a GUI started later; Start agent brings it back", async ({ app, cluster, browser }) => {
    await allUp(app.page, [4]);
    const { region } = await configWindow(app, 4);
    await expect(region.getByRole('note', { name: 'What wins' })).toContainText('Stop agent keeps the node\'s agent stopped, also after Mosixview restarts and for every other GUI, until Start agent.');
    await region.getByRole('button', { name: 'Stop agent' }).click();
    await expect(region.getByRole('status', { name: 'Result on node 4' })).toHaveText('agent stopped', { timeout: 15_000 });
    await expect(lamp(app.page, 4, 'down')).toBeVisible({ timeout: 10_000 });
    await expect(app.page.getByRole('row', { name: 'Node 4 row' })).toContainText('agent stopped by the admin');
    await expect.poll(async () => (await mosctl(cluster, 4, 'status')).stderr, { timeout: 10_000 }).toContain('agent is not running');
    // isup from node 1 pings node 4's agent itself: down now, with why.
    const down = await mosctl(cluster, 1, 'isup 4');
    expect(down.code, down.stdout + down.stderr).toBe(1);
    expect(down.stdout).toMatch(/^4 is down: /);
    // The GUI's reconnect must not start it again behind the admin's back.
    await new Promise((r) => setTimeout(r, 6000));
    expect((await mosctl(cluster, 4, 'status')).code).not.toBe(0);

    // A GUI started now (a restart, or another admin's) keeps it stopped and says who stopped it.
    const later = await launchApp(browser, ['--profile', cluster.profilePath]);
    try {
      await allUp(later.page, [1, 2, 3]);
      await expect(later.page.getByRole('row', { name: 'Node 4 row' })).toContainText(/agent stopped by the admin \(Stop agent in Mosixview from [\d.]+, \d{4}-.*\): it stays stopped until "Start agent" in Mosixview/, { timeout: 30_000 });
      await expect(lamp(later.page, 4, 'down')).toBeVisible();
      await new Promise((r) => setTimeout(r, 6000));
      expect((await mosctl(cluster, 4, 'status')).code).not.toBe(0);
      const { region: laterRegion } = await configWindow(later, 4);
      await laterRegion.getByRole('button', { name: 'Start agent' }).click();
      await expect(laterRegion.getByRole('status', { name: 'Result on node 4' })).toHaveText('agent started', { timeout: 40_000 });
      await expect(lamp(later.page, 4, 'up')).toBeVisible();
    } finally {
      await later.stop();
    }
    expect(await out(cluster, 4, 'status')).toContain('Node 4 of 4');
    await expect.poll(async () => (await mosctl(cluster, 1, 'isup 4')).stdout, { timeout: 15_000 }).toMatch(/^4 is up \(answered in [\d.]+ ms\)/);
    // The first GUI looks again on Refresh and finds the agent another GUI started.
    await app.page.getByRole('button', { name: 'Refresh' }).click();
    await expect(lamp(app.page, 4, 'up')).toBeVisible({ timeout: 30_000 });
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
