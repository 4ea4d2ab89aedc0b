/**
 * The jobs feature's settings: <stateDir>/jobs.json, overridden by environment variables
 * (the test cluster sets them per node through sshd's SetEnv).
 *
 *   criu          path of criu (env MOSIXVIEW_CRIU); else `criu` on PATH, /usr/sbin, /usr/local/sbin
 *   jobsDir       where job directories go (env MOSIXVIEW_JOBS_DIR); default ~/.mosixview/jobs,
 *                 i.e. the home directory, which clusters usually share over NFS
 *   sharedRoots   paths every node sees alike (env MOSIXVIEW_SHARED_ROOTS, colon-separated)
 *   localRoots    paths that are this node's own (env MOSIXVIEW_LOCAL_ROOTS, colon-separated)
 *   blockGuests   refuse guest jobs (until the balancing core's mosctl block takes over)
 *   criuTimeoutMs limit for one criu call (env MOSIXVIEW_CRIU_TIMEOUT_MS)
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeAtomic } from '../stateDir.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PathView } from '../../shared/jobs/cantMove.js';

export interface JobsConfig extends PathView {
  criu?: string;
  jobsDir: string;
  blockGuests: boolean;
  criuTimeoutMs: number;
}

/** Node-local by default on most clusters: files there do not exist on other nodes. */
export const DEFAULT_LOCAL_ROOTS = ['/proc', '/sys', '/run', '/dev/shm', '/tmp', '/var/tmp'];

const list = (s: string | undefined): string[] | undefined => (s ? s.split(':').filter(Boolean) : undefined);

export function loadJobsConfig(stateDir: string, env: NodeJS.ProcessEnv = process.env): JobsConfig {
  let file: Partial<JobsConfig> = {};
  const path = join(stateDir, 'jobs.json');
  if (existsSync(path)) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as Partial<JobsConfig>;
    } catch (e) {
      process.stderr.write(`mosixview-agent: ignoring ${path}: ${(e as Error).message}\n`);
    }
  }
  const cfg: JobsConfig = {
    jobsDir: env.MOSIXVIEW_JOBS_DIR || file.jobsDir || join(homedir(), '.mosixview', 'jobs'),
    sharedRoots: list(env.MOSIXVIEW_SHARED_ROOTS) ?? file.sharedRoots ?? ['/'],
    localRoots: list(env.MOSIXVIEW_LOCAL_ROOTS) ?? file.localRoots ?? DEFAULT_LOCAL_ROOTS,
    blockGuests: file.blockGuests ?? false,
    criuTimeoutMs: Number(env.MOSIXVIEW_CRIU_TIMEOUT_MS) || file.criuTimeoutMs || 120_000,
  };
  const criu = env.MOSIXVIEW_CRIU || file.criu;
  return criu ? { ...cfg, criu } : cfg;
}

/**
 * This node's ID for job identities: the cluster map's (when the peer layer knows it),
 * else MOSIXVIEW_NODE_ID, else <stateDir>/node-id (written by jobs.setNodeId), else 0.
 */
export function readNodeId(stateDir: string, fromMap: number | null | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (fromMap) return fromMap;
  const e = Number(env.MOSIXVIEW_NODE_ID);
  if (Number.isInteger(e) && e > 0) return e;
  try {
    const f = Number(readFileSync(join(stateDir, 'node-id'), 'utf8').trim());
    if (Number.isInteger(f) && f > 0) return f;
  } catch {
    /* not set */
  }
  return 0;
}

export function writeNodeId(stateDir: string, node: number): void {
  writeAtomic(join(stateDir, 'node-id'), `${node}\n`);
}
