/**
 * The fault matrix's tools on the test cluster: failpoints in the agents (agent/migrate/
 * failpoints.ts), agents killed, links cut, a node's image disk made to run full, and the
 * matrix's record of what each repetition ended in (e2e/.runs/fault-matrix.json, rendered
 * into docs/RELIABILITY.md by `npm run reliability`).
 */
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from '@playwright/test';
import type { TestCluster } from '../cluster/testCluster.js';
import { NODE_STATE_DIR } from '../cluster/types.js';
import { agentDaemonPid, tool, tryOn } from './jobs.js';

export const REPEAT = Number(process.env.MOSIXVIEW_FAULT_REPEAT) || 1;
export const MATRIX_FILE = 'e2e/.runs/fault-matrix.json';

const stateDir = (c: TestCluster, node: number) => c.nodes.find((n) => n.id === node)!.stateDir;

export type FailpointName = 'after-dump' | 'after-transfer' | 'before-commit' | 'target-before-commit' | 'target-after-commit-logged';

/**
 * Holds node `node`'s agent at `name` next time it gets there. A `.reached` file left by an
 * agent killed while held (the matrix kills agents at these points) would tell `reached` the
 * point was hit before the migration even began: it goes first.
 */
export function arm(c: TestCluster, node: number, name: FailpointName): void {
  rmSync(`${stateDir(c, node)}/failpoint-${name}.reached`, { force: true });
  writeFileSync(`${stateDir(c, node)}/failpoint-${name}`, '');
}

export async function reached(c: TestCluster, node: number, name: FailpointName, run?: Promise<{ stderr: string; stdout: string }>): Promise<void> {
  const file = `${stateDir(c, node)}/failpoint-${name}.reached`;
  const early = run?.then((r) => Promise.reject(new Error(`the migration ended before node ${node} reached ${name}: ${r.stderr || r.stdout}`)));
  early?.catch(() => undefined);
  await Promise.race([expect.poll(() => existsSync(file), { timeout: 60_000, intervals: [20] }).toBe(true), ...(early ? [early] : [])]);
}

export function release(c: TestCluster, node: number, name: FailpointName): void {
  rmSync(`${stateDir(c, node)}/failpoint-${name}`, { force: true });
}

export function killAgent(c: TestCluster, node: number): void {
  const pid = agentDaemonPid(c, node);
  if (!pid) throw new Error(`no agent daemon runs on node ${node}`);
  process.kill(pid, 'SIGKILL');
}

/** Waits until node N's agent is back and listening for its peers. */
export async function peerReady(c: TestCluster, node: number): Promise<void> {
  await expect
    .poll(async () => (await tryOn(c, node, `${tool(c, 'mosctl')} status`, 10_000)).stdout, { timeout: 90_000 })
    .toMatch(/peer channel listening/);
}

/**
 * Mounts a tmpfs of few inodes over the node's directory for incoming images, in the node's
 * own mount namespace: the space check passes, and the disk runs full after a few image files.
 */
export async function smallImageDisk(c: TestCluster, node: number): Promise<() => Promise<void>> {
  // The node's own path: its /var/lib is a bind mount of the host-side directory, so a mount
  // made over the host-side path inside the node would never be seen by its agent.
  const dir = `${NODE_STATE_DIR}/incoming`;
  const r = await tryOn(c, node, `mkdir -p ${dir} && mount -t tmpfs -o size=256m,nr_inodes=6 mvtest-full ${dir}`);
  if (r.code !== 0) throw new Error(`could not mount a small tmpfs on node ${node}: ${r.stderr}`);
  return async () => void (await tryOn(c, node, `umount ${dir}`));
}

export interface MatrixRow {
  fault: string;
  reps: number;
  /** How each repetition ended ("stays on node 1", "moved to node 3"), with counts. */
  outcomes: Record<string, number>;
  lost: number;
  doubled: number;
  /** What the admin was told, one example per outcome. */
  told: Record<string, string>;
}

export function newRow(fault: string): MatrixRow {
  return { fault, reps: 0, outcomes: {}, lost: 0, doubled: 0, told: {} };
}

export function saveRow(row: MatrixRow): void {
  mkdirSync(dirname(MATRIX_FILE), { recursive: true });
  appendFileSync(MATRIX_FILE, `${JSON.stringify({ ...row, at: new Date().toISOString() })}\n`);
}
