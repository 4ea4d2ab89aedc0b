/**
 * Failpoints for the end-to-end fault matrix (as etcd's gofail or FoundationDB's BUGGIFY):
 * named points in the migration protocol where a test can hold an agent, to kill it, cut
 * its link or fill its disk at exactly that moment. Inert unless the agent runs with
 * MOSIXVIEW_FAILPOINTS=1 (the test cluster sets it); then a point is armed by a file
 * `failpoint-NAME` in the state directory: the agent writes `failpoint-NAME.reached` and
 * waits (at most two minutes) until the test removes the first file.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type FailpointName = 'after-dump' | 'after-transfer' | 'before-commit' | 'target-before-commit' | 'target-after-commit-logged';

export type Failpoint = (name: FailpointName) => Promise<void>;

export const noFailpoints: Failpoint = () => Promise.resolve();

const HOLD_MAX_MS = 120_000;

export function fileFailpoints(stateDir: string, env: NodeJS.ProcessEnv = process.env): Failpoint {
  if (env.MOSIXVIEW_FAILPOINTS !== '1') return noFailpoints;
  return async (name) => {
    const armed = join(stateDir, `failpoint-${name}`);
    if (!existsSync(armed)) return;
    writeFileSync(`${armed}.reached`, `${process.pid}\n`);
    const until = Date.now() + HOLD_MAX_MS;
    while (existsSync(armed) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    rmSync(`${armed}.reached`, { force: true });
  };
}
