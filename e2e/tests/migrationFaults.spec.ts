/**
 * The fault matrix over real CRIU: a job on node 1 is migrated to node 3 while a fault
 * strikes at a chosen moment (held there by the agents' failpoints), each fault repeated
 * (MOSIXVIEW_FAULT_REPEAT, 1 in npm test, 4 in `npm run reliability`). Every time: exactly
 * one running copy, its history intact (every count once, in order), and the admin told
 * what happened. Each row lands in e2e/.runs/fault-matrix.json for docs/RELIABILITY.md.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { allUp } from '../support/mainWindow.js';
import { copies, historyBreak, manualMigrationsOnly, on, startCounter, stillCounting, tool, tryOn, waitForIncoming, type Counter } from '../support/jobs.js';
import { arm, killAgent, newRow, peerReady, reached, release, REPEAT, saveRow, smallImageDisk, type MatrixRow } from '../support/faults.js';
import { cutLink, restoreLink, type TestCluster } from '../cluster/testCluster.js';
import type { RunningApp } from '../support/app.js';
import { routes } from '../../shared/windows.js';
import { parseJobKey } from '../../shared/domain/process.js';

test.describe.configure({ timeout: 180_000 + REPEAT * 150_000 });
manualMigrationsOnly(test);

type Run = Promise<{ code: number; stdout: string; stderr: string }>;
interface Fault {
  name: string;
  /** MB of memory the job holds (a long transfer for mid-transfer faults). */
  mb?: number;
  /** Where the job must end up: node 1 (the migration failed) or 3 (it went through), or either. */
  ends: 1 | 3 | 'either';
  /** Starts the migration (`go()`), strikes, and returns its result; cleans up after itself. */
  strike(c: TestCluster, go: () => Run, job: Counter, app: RunningApp): Promise<{ code: number; stdout: string; stderr: string }>;
  /** What the admin must have been told: the migrate tool's output or the job's note. */
  told: RegExp;
}

const flag = (c: TestCluster, node: number, name: string) => `${c.nodes.find((n) => n.id === node)!.stateDir}/${name}`;
const note = (c: TestCluster, node: number, key: string): string => {
  try {
    return String(JSON.parse(readFileSync(`${flag(c, node, 'jobs')}/${key}.json`, 'utf8')).note ?? '');
  } catch {
    return '';
  }
};

/** Holds the agent of `node` at `point`, does `fault` there, lets it go on. */
const atFailpoint = (node: number, point: Parameters<typeof arm>[2], fault: (c: TestCluster) => Promise<void> | void) =>
  async (c: TestCluster, go: () => Run) => {
    arm(c, node, point);
    try {
      const run = go();
      await reached(c, node, point, run);
      await fault(c);
      release(c, node, point);
      return await run;
    } finally {
      release(c, node, point);
    }
  };

const FAULTS: Fault[] = [
  {
    name: 'restore fails on the target', ends: 1, told: /goes on here on node 1: .*restore/i,
    strike: async (c, go) => {
      writeFileSync(flag(c, 3, 'fault-restore'), '');
      try {
        return await go();
      } finally {
        rmSync(flag(c, 3, 'fault-restore'), { force: true });
      }
    },
  },
  {
    name: 'image damaged on the source disk', ends: 1, told: /goes on here on node 1: .*(restore|image)/i,
    strike: async (c, go) => {
      writeFileSync(flag(c, 1, 'fault-corrupt-dump'), '');
      try {
        return await go();
      } finally {
        rmSync(flag(c, 1, 'fault-corrupt-dump'), { force: true });
      }
    },
  },
  {
    name: 'target agent killed mid-transfer', mb: 400, ends: 1, told: /node 3/,
    strike: async (c, go) => {
      const run = go();
      await waitForIncoming(c, 3);
      killAgent(c, 3);
      return run;
    },
  },
  {
    name: 'target link cut mid-transfer', mb: 400, ends: 'either', told: /node 3/,
    strike: async (c, go) => {
      const run = go();
      await waitForIncoming(c, 3);
      await cutLink(c, 3);
      try {
        return await run;
      } finally {
        await restoreLink(c, 3);
      }
    },
  },
  {
    name: "target's image disk full during the transfer", ends: 1, told: /goes on here on node 1: .*node 3.*(full|space)/i,
    strike: async (c, go) => {
      const unmount = await smallImageDisk(c, 3);
      try {
        const r = await go();
        // The agent on node 3 kept serving through it.
        expect((await tryOn(c, 3, `${tool(c, 'mosctl')} status`)).stdout).toMatch(/peer channel listening/);
        return r;
      } finally {
        await unmount();
      }
    },
  },
  { name: 'source agent killed after the dump', ends: 1, told: /agent restarted during the migration/, strike: atFailpoint(1, 'after-dump', (c) => killAgent(c, 1)) },
  { name: 'source agent killed after the transfer', ends: 1, told: /agent restarted during the migration/, strike: atFailpoint(1, 'after-transfer', (c) => killAgent(c, 1)) },
  { name: 'source agent killed after the commit was sent', ends: 3, told: /migrated to node 3/, strike: atFailpoint(3, 'target-before-commit', (c) => killAgent(c, 1)) },
  { name: 'target agent restarted after it committed', ends: 3, told: /handed to node 3, which did not confirm|now runs on node 3/, strike: atFailpoint(3, 'target-after-commit-logged', (c) => killAgent(c, 3)) },
  {
    name: 'link cut as the commit is sent (SIGCONT while uncertain)', ends: 'either', told: /handed to node 3, which did not confirm: the copy here stays frozen/,
    strike: async (c, go, job, app) => {
      const r = await atFailpoint(1, 'before-commit', (c2) => cutLink(c2, 3))(c, go);
      try {
        // The admin's SIGCONT on the frozen copy is refused, saying why and when it settles ...
        const cont = await tryOn(c, 1, `${tool(c, 'migrate')} ${job.pid} cont`);
        expect(cont.code).not.toBe(0);
        expect(cont.stderr).toMatch(/cannot send SIGCONT to job .*: it was handed to node 3, which has not confirmed it yet/);
        // ... and the migrator shows the job as moving, its buttons disabled with the reason.
        const win = await app.openRoute(routes.migrator(1, parseJobKey(job.key)!));
        await expect(win.getByRole('status', { name: 'Moving' })).toContainText('handed to node 3, which has not confirmed it yet');
        await expect(win.getByRole('button', { name: 'SIGCONT' })).toBeDisabled();
        await win.close();
        return r;
      } finally {
        await restoreLink(c, 3);
      }
    },
  },
  {
    name: 'link cut after the target committed', ends: 3, told: /handed to node 3, which did not confirm/,
    strike: async (c, go) => {
      try {
        return await atFailpoint(3, 'target-after-commit-logged', (c2) => cutLink(c2, 3))(c, go);
      } finally {
        await restoreLink(c, 3);
      }
    },
  },
];

/** The one running copy's node, once everything settled; the row counts what went wrong. */
async function settled(c: TestCluster, job: Counter, row: MatrixRow): Promise<number> {
  let per: Record<number, number> = {};
  await expect
    .poll(async () => {
      per = await copies(c, job);
      return Object.values(per).reduce((a, b) => a + b, 0);
    }, { timeout: 120_000 })
    .toBe(1)
    .catch((e: Error) => {
      const n = Object.values(per).reduce((a, b) => a + b, 0);
      if (n === 0) row.lost++;
      else row.doubled++;
      throw new Error(`${e.message}\ncopies per node: ${JSON.stringify(per)}`);
    });
  return Number(Object.entries(per).find(([, k]) => k > 0)![0]);
}

for (const fault of FAULTS) {
  test(`${fault.name}: the job runs exactly once, with its state, every time`, async ({ app, cluster }) => {
    await allUp(app.page, cluster.nodes.map((n) => n.id));
    const job = await startCounter(cluster, 1, '', fault.mb ?? 0);
    const row = newRow(fault.name);
    try {
      for (let i = 0; i < REPEAT; i++) {
        await peerReady(cluster, 1);
        await peerReady(cluster, 3);
        if ((await settled(cluster, job, row)) !== 1) await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} home`);
        const before = job.count();
        const r = await fault.strike(cluster, () => tryOn(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`), job, app);
        await peerReady(cluster, 1);
        const where = await settled(cluster, job, row);
        if (!(await stillCounting(job)) || job.count() <= before) row.lost++;
        const broken = historyBreak(job);
        if (broken) row.doubled++;
        row.reps++;
        const outcome = where === 1 ? 'stays on node 1' : 'moved to node 3';
        row.outcomes[outcome] = (row.outcomes[outcome] ?? 0) + 1;
        const told = `${r.stdout}${r.stderr}`.trim() || note(cluster, 1, job.key);
        row.told[outcome] ??= told.split('\n')[0]!.slice(0, 240);
        expect(broken, 'the job printed every count once, in order').toBeUndefined();
        if (fault.ends !== 'either') expect(where).toBe(fault.ends);
        expect(`${told}\n${note(cluster, 1, job.key)}\n${note(cluster, 3, job.key)}`).toMatch(fault.told);
      }
    } finally {
      saveRow(row);
    }
    await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
  });
}

test('the migrator window tells the admin why a migration failed', async ({ app, cluster }) => {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  const job = await startCounter(cluster, 1);
  writeFileSync(flag(cluster, 3, 'fault-restore'), '');
  try {
    const win = await app.openRoute(routes.migrator(1, job.pid));
    await win.getByRole('button', { name: 'Migrate to node 3' }).dblclick();
    await expect(win.getByRole('alert', { name: 'Last action' })).toContainText(/goes on here on node 1/, { timeout: 60_000 });
    expect(Object.values(await copies(cluster, job))).toEqual([1, 0, 0, 0]);
  } finally {
    rmSync(flag(cluster, 3, 'fault-restore'), { force: true });
  }
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});
