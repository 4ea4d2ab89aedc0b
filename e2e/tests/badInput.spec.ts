import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test, expect } from '../support/fixtures.js';
import { launchApp } from '../support/app.js';
import { allUp, lamp } from '../support/mainWindow.js';
import { profileVariant } from '../support/profiles.js';
import { sshExec } from '../cluster/testCluster.js';

test('a malformed map file is refused with its file and line', async ({ cluster }) => {
  const map = join(cluster.dir, 'bad.map');
  writeFileSync(map, '# test\n1 10.0.0.1 1\n2 node-two\n');
  const r = spawnSync(process.execPath, ['dist/electron/headless.cjs', '--no-open', '--map', map], { encoding: 'utf8', timeout: 20_000 });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`${map}:3:`);
  expect(r.stderr).toMatch(/expected 3 fields/);
});

test('refusing node, node without Node.js and an agent printing garbage: each row says why, the others work', async ({ browser, cluster }) => {
  const garbage = join(cluster.dir, 'garbage-node');
  // Answers the deploy's Node.js probe as node does (`--version`), then prints garbage where the agent should speak.
  writeFileSync(garbage, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo v20.0.0; exit 0; fi\nif [ "$1" = "-e" ]; then printf 20.0.0; exit 0; fi\necho "Welcome! This is not an agent."\nsleep 60\n');
  chmodSync(garbage, 0o755);
  const profile = profileVariant(cluster, {
    nodes: { '2': { nodePath: garbage }, '3': { nodePath: '/nonexistent/bin/node' }, '4': { port: 2222 } },
  });
  // A daemon that an earlier test left running answers on its socket without Node.js being
  // started (the GUI reaches it straight over SSH): stop them, so this GUI must start the agent
  // with the node path it is given.
  for (const id of [2, 3]) await sshExec(cluster, id, "pkill -KILL -f 'mosixview-agent-.*\\.cjs daemon'; true");
  const app = await launchApp(browser, ['--profile', profile]);
  try {
    const { page } = app;
    await allUp(page, [1]);
    const row = (id: number) => page.getByRole('row', { name: `Node ${id} row` });
    await expect(row(2)).toContainText(/not Mosixview protocol/, { timeout: 30_000 });
    await expect(row(3)).toContainText(/Node\.js not found/, { timeout: 30_000 });
    await expect(row(4)).toContainText(/refused|sshd/i, { timeout: 30_000 });
    for (const id of [2, 3, 4]) await expect(lamp(page, id, 'down')).toBeVisible();
    await expect(lamp(page, 1, 'up')).toBeVisible();
  } finally {
    await app.stop();
  }
});

test('an agent that dies is shown, and the node comes back by itself', async ({ app, cluster }) => {
  const { page } = app;
  await allUp(page, [1, 2]);
  await sshExec(cluster, 2, "pkill -KILL -f 'mosixview-agent-.*\\.cjs daemon'");
  await expect(lamp(page, 2, 'down')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole('row', { name: 'Node 2 row' })).toContainText(/agent/);
  await expect(lamp(page, 2, 'up')).toBeVisible({ timeout: 30_000 });
  await expect(lamp(page, 1, 'up')).toBeVisible();
});
