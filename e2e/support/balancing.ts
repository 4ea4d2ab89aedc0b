/** What the balancing end-to-end tests share: mosctl over ssh, flags reset, the configuration window, polling. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';
import { tool } from './jobs.js';

export const mosctl = async (c: TestCluster, node: number, args: string) => sshExec(c, node, `${tool(c, 'mosctl')} ${args}`);
export const out = async (c: TestCluster, node: number, args: string) => (await mosctl(c, node, args)).stdout;

/** Every flag off on every node, whatever a failed test left behind (controls persist). */
export async function resetFlags(c: TestCluster) {
  await Promise.all(c.nodes.map((n) => mosctl(c, n.id, 'nostay').then(() => mosctl(c, n.id, 'nolstay')).then(() => mosctl(c, n.id, 'noblock')).then(() => mosctl(c, n.id, 'noquiet'))));
}

export async function configWindow(app: { openRoute(r: string): Promise<Page> }, node: number | 'all') {
  const page = await app.openRoute(`node/${node}`);
  const region = page.getByRole('region', { name: node === 'all' ? 'All nodes configuration' : `Node ${node} configuration` });
  await expect(region).toBeVisible();
  return { page, region };
}

/** Polls `get` until `ok` or the timeout; returns the last value, for a message that shows it. */
export async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

