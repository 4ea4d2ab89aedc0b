/**
 * A node installed from the package, as an admin installs one: `dpkg -i` of
 * mosixview-agent_VERSION_all.deb in node 2, whose /usr, /etc and /var are its own (overlays in
 * its mount namespace: the machine stays untouched, and the test checks that), the cluster's map
 * written to /etc/mosixview/hpc.map, and the agent started by its unit. systemd is not PID 1 in
 * a test node, so the unit's ExecStart is run as systemd would run it (its environment, with
 * INVOCATION_ID, and its StateDirectory=). The package carries another build of the agent than
 * the GUI (a GUI upgraded first): the GUI must attach to the packaged agent, never replace it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { downCluster, leftovers, signalInNode, upCluster } from '../cluster/testCluster.js';
import { launchApp } from '../support/app.js';
import { lamp } from '../support/mainWindow.js';
import { counterJs, on } from '../support/jobs.js';
import { buildTestPackage, daemonInfo, daemonsIn, hostFingerprint, needTools, startAsSystemdWould } from '../support/nodePackage.js';
import { routes } from '../../shared/windows.js';

const PKG = 2;
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const SYSTEM_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
test.describe.configure({ timeout: 300_000 });

test('a node installed with dpkg -i runs the packaged agent under its unit; the GUI attaches to it and runs a job there; the machine is untouched', async ({ browser }) => {
  needTools({ 'dpkg-deb': 'dpkg', dpkg: 'dpkg' });
  const cluster = await upCluster({ nodes: 2, purpose: 'tests', ownSystem: [PKG] });
  let before: Record<string, string> | undefined;
  let paths: string[] = [];
  let app: Awaited<ReturnType<typeof launchApp>> | undefined;
  try {
    const pkg = buildTestPackage(cluster);
    paths = pkg.paths;
    expect(paths).toContain('/usr/lib/mosixview/mosixview-agent.cjs');
    before = hostFingerprint(paths);

    // The admin's steps on the node: install, write the cluster's map into the conffile, start.
    const installed = await on(cluster, PKG, `${SYSTEM_PATH} dpkg -i ${pkg.deb} 2>&1`);
    expect(installed).toContain('Setting up mosixview-agent');
    expect(await on(cluster, PKG, "dpkg-query -W -f '${Status} ${Version}' mosixview-agent")).toBe(`install ok installed ${VERSION}`);
    await on(cluster, PKG, `cp ${cluster.mapPath} /etc/mosixview/hpc.map`);
    const service = await startAsSystemdWould(cluster, PKG, 'mosixview-agent.service');
    expect(service.argv).toEqual(['/usr/bin/node', '/usr/lib/mosixview/mosixview-agent.cjs', 'daemon', '--map', '/etc/mosixview/hpc.map']);
    const agent = daemonInfo(cluster, PKG);
    expect(agent).toEqual({ pid: agent.pid, version: pkg.version, supervisor: 'systemd' });

    // Before any GUI: the node is in the cluster its map file describes (the packaged tools say so).
    const addr1 = cluster.nodes[0]!.address;
    expect(await on(cluster, PKG, '/usr/bin/setpe -r')).toBe(`1\t${addr1}\t2\n`);
    expect(readFileSync(`${cluster.nodes[PKG - 1]!.stateDir}/map-origin`, 'utf8')).toBe('file /etc/mosixview/hpc.map\n');
    expect(await on(cluster, PKG, '/usr/bin/mosctl status')).toContain('Node 2 of 2; cluster key MISSING');

    app = await launchApp(browser, ['--profile', cluster.profilePath]);
    for (const n of cluster.nodes) await expect(lamp(app.page, n.id, 'up')).toBeVisible({ timeout: 60_000 });
    const row = app.page.getByRole('row', { name: `Node ${PKG} row` });
    await expect(row).toContainText(`runs the node's packaged agent ${pkg.version} (systemd service)`);
    // The GUI installs its cluster key (the node had none) but no map: the node's own is the profile's.
    await expect.poll(() => on(cluster, PKG, '/usr/bin/mosctl status'), { timeout: 30_000 }).toMatch(/Node 2 of 2; cluster key installed; peer channel listening on port \d+/);
    expect(readFileSync(`${cluster.nodes[PKG - 1]!.stateDir}/map-origin`, 'utf8')).toBe('file /etc/mosixview/hpc.map\n');
    await expect(row).not.toContainText('own map');

    // A job started from the GUI runs in node 2, under the packaged agent.
    await on(cluster, PKG, '/usr/bin/mosctl stay');
    const dir = `${cluster.dir}/shared/packaged-job`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/job.js`, counterJs());
    const exec = await app.openRoute(routes.exec(PKG));
    await exec.getByLabel('Program').fill(process.execPath);
    await exec.getByLabel('Arguments').fill('job.js');
    await exec.getByLabel('Working directory').fill(dir);
    await exec.getByRole('button', { name: 'Execute' }).click();
    const result = exec.getByRole('status', { name: 'Result' });
    await expect(result).toHaveText(/job 2\.\d+ started on node 2, PID \d+/, { timeout: 30_000 });
    const pid = /PID (\d+)/.exec((await result.textContent()) ?? '')![1]!;
    const countedOn = () => {
      try {
        return readFileSync(`${dir}/count`, 'utf8').split(' ')[1];
      } catch {
        return undefined; // not counting yet
      }
    };
    await expect.poll(countedOn, { timeout: 20_000 }).toBe('mvnode2');
    expect(await on(cluster, PKG, `readlink /proc/${pid}/cwd`)).toBe(`${dir}\n`);
    const ancestors = await on(cluster, PKG, `p=${pid}; while [ "$p" -gt 1 ]; do echo $p; p=$(awk '/^PPid:/{print $2}' /proc/$p/status); done`);
    expect(ancestors.trim().split('\n')).toContain(String(agent.pid));
    await on(cluster, PKG, `/usr/bin/migrate ${pid} kill`);

    // The GUI never replaced the packaged agent: the same process, the only daemon in the node.
    expect(daemonInfo(cluster, PKG)).toEqual(agent);
    expect(daemonsIn(cluster, PKG)).toEqual(['/usr/bin/node /usr/lib/mosixview/mosixview-agent.cjs daemon --map /etc/mosixview/hpc.map']);
    expect(hostFingerprint(paths)).toEqual(before);
  } finally {
    await app?.stop();
    signalInNode(cluster, PKG, 'mosixview-agent.cjs daemon', 'SIGTERM');
    await downCluster(cluster);
  }
  // Everything the run made is gone (the node's overlays went with its mount namespace), and the machine is as it was.
  expect(await leftovers(cluster.runId)).toEqual([]);
  expect(hostFingerprint(paths)).toEqual(before);
});
