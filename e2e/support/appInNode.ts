/**
 * Mosixview run as an admin at a cluster node runs it: the headless server and Chromium both
 * inside node 1 (its network, mounts and PIDs), so the GUI reaches every node over the
 * cluster's network from there, sees node 1's own /tmp, and the browser talks to node 1's
 * loopback. Playwright drives that Chromium through its usual pipe, across nsenter.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { inNode, signalInNode, type TestCluster } from '../cluster/testCluster.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

export interface AppInNode {
  page: Page;
  context: BrowserContext;
  output(): string;
  openRoute(route: string): Promise<Page>;
  stop(): Promise<void>;
}

export async function launchAppInNode(c: TestCluster, nodeId: number, args: string[]): Promise<AppInNode> {
  const prefix = inNode(c, nodeId);
  const server = spawn(prefix[0]!, [...prefix.slice(1), process.execPath, resolve('dist/electron/headless.cjs'), '--no-open', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+#\/)/.exec(out);
      if (m) resolve(m[1]!);
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => reject(new Error(`the headless server in node ${nodeId} exited (${code}) before printing its URL:\n${out}`)));
  });
  // Chromium started through nsenter: the same pipe Playwright always uses, now into the node.
  const dir = `${c.dir}/n${nodeId}/gui`;
  mkdirSync(dir, { recursive: true });
  const wrapper = `${dir}/chromium-in-node`;
  writeFileSync(wrapper, `#!/bin/sh\nexec ${prefix.join(' ')} ${CHROMIUM_PATH} "$@"\n`, { mode: 0o755 });
  const context = await chromium.launchPersistentContext(`${dir}/profile`, { executablePath: wrapper, args: CHROMIUM_ARGS, viewport: { width: 1200, height: 700 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  return {
    page,
    context,
    output: () => out,
    openRoute: async (route) => {
      const [popup] = await Promise.all([context.waitForEvent('page'), page.evaluate((r) => window.open(`${location.pathname}${location.search}#/${r}`, '_blank'), route)]);
      await popup.waitForLoadState();
      return popup;
    },
    stop: async () => {
      await context.close();
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        signalInNode(c, nodeId, 'headless.cjs', 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        signalInNode(c, nodeId, 'headless.cjs', 'SIGKILL');
      }
    },
  };
}
