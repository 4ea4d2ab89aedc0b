/**
 * The balancing core's job-moving proofs on the 4-node test cluster: spreading, block,
 * expel, bring and stay, and speed. They need the migration service (the migrate feature
 * provides it); without it each fails, saying so, rather than being skipped.
 */
import { test, expect } from '../support/fixtures.js';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';
import { balancerMoves, balancerSays, cleanUpMoves, configWindow, jobPlaces, mosctl, out, readyToMove, startHog, until } from '../support/balancing.js';

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
    const keys: string[] = [];
    for (let i = 0; i < n; i++) keys.push((await startHog(c, node, MARK)).key);
    return keys;
  };

  test.beforeEach(async ({ app, cluster }) => {
    speeds = await readyToMove(app, cluster);
  });
  test.afterEach(async ({ cluster }) => cleanUpMoves(cluster, speeds, [MARK]));

  test('8 CPU-bound jobs started on node 1 spread so that no node holds more than 3 within 30 s', async ({ cluster }) => {
    // The balancers count moves since their daemon started: earlier tests on this cluster moved jobs too.
    const before = await Promise.all(cluster.nodes.map((n) => balancerMoves(cluster, n.id)));
    const keys = await startHogs(cluster, 1, 8);
    const c = await until(() => counts(cluster), (x) => x.reduce((a, b) => a + b, 0) === 8 && Math.max(...x) <= 3, 30_000);
    const ps = (await sshExec(cluster, 1, 'ps -eo pid,ppid,stat,args | grep [m]vbalhog')).stdout;
    const seen = `jobs per node ${c.join(', ')}; node 1: ${await out(cluster, 1, 'status')}\n${ps}`;
    // All 8 run, none lost or run twice, and no node holds more than 3.
    expect(c.reduce((a, b) => a + b, 0), seen).toBe(8);
    expect(Math.max(...c), seen).toBeLessThanOrEqual(3);
    // Stop further moves, let the last one land, then count: each job runs in exactly one place,
    // the records agree with ps, and their migrations are exactly the balancers' successful moves.
    await Promise.all(cluster.nodes.map((n) => mosctl(cluster, n.id, 'stay')));
    const settled = await until(
      async () => keys.map((k) => jobPlaces(cluster, k)),
      (ps) => ps.every((p) => p.length === 1 && p[0]!.state === 'running'),
      30_000,
    );
    expect(settled.map((p) => p.length), `records: ${JSON.stringify(settled)}`).toEqual(keys.map(() => 1));
    const onNode = cluster.nodes.map((n) => settled.filter((p) => p[0]!.node === n.id).length);
    expect(onNode).toEqual(await counts(cluster));
    const recorded = settled.reduce((a, p) => a + p[0]!.migrations, 0);
    const balancers = await Promise.all(cluster.nodes.map((n) => balancerMoves(cluster, n.id)));
    const succeeded = balancers.reduce((a, b, i) => a + (b.moves - before[i]!.moves) - (b.failed - before[i]!.failed), 0);
    expect(recorded, `records ${JSON.stringify(settled)}; balancers ${JSON.stringify(balancers)} (before: ${JSON.stringify(before)})`).toBe(succeeded);
    expect(recorded).toBeGreaterThanOrEqual(8 - c[0]!);
  });

  test('block on node 3 keeps guests off it', async ({ cluster }) => {
    await mosctl(cluster, 3, 'block');
    await startHogs(cluster, 1, 8);
    // Looked at about every second while the jobs spread (node 1 down to 4, within 30 s) and
    // for 10 s more: never a guest on node 3.
    const started = Date.now();
    let spreadAt: number | undefined;
    while (spreadAt === undefined || Date.now() - spreadAt < 10_000) {
      const c = await counts(cluster);
      expect(c[2], `jobs per node ${c.join(', ')}`).toBe(0);
      if (spreadAt === undefined && c[0]! <= 4) spreadAt = Date.now();
      expect(spreadAt !== undefined || Date.now() - started < 30_000, `the jobs did not spread within 30 s: ${c.join(', ')}`).toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
    }
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
    // Only that some jobs are away matters here (how fast they spread is the first test's);
    // the balancer waits out noisy loads before it moves, longer on a busy machine.
    await expect.poll(() => hogs(cluster, 1), { timeout: 90_000 }).toBeLessThanOrEqual(5);
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
    const seen = `jobs per node: ${c.join(', ')}; stopped copies per node: ${(await Promise.all(cluster.nodes.map((n) => stopped(cluster, n.id)))).join(', ')}\n${await balancerSays(cluster)}`;
    expect(c.reduce((a, b) => a + b, 0), seen).toBe(8);
    expect(c[3]!, seen).toBeGreaterThanOrEqual(Math.max(...c.slice(0, 3)) + 1);
  });
});
