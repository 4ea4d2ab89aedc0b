/**
 * The jobs feature's settings: <stateDir>/jobs.json, overridden by environment variables
 * (the test cluster sets them per node through sshd's SetEnv).
 *
 *   criu          path of criu (env MOSIXVIEW_CRIU); else `criu` on PATH, /usr/sbin, /usr/local/sbin
 *   jobsDir       where job directories go (env MOSIXVIEW_JOBS_DIR); default ~/.mosixview/jobs,
 *                 i.e. the home directory, which clusters usually share over NFS
 *   sharedRoots   paths every node sees alike (env MOSIXVIEW_SHARED_ROOTS, colon-separated);
 *                 default none: the agent finds out what is shared (shareDetector.ts)
 *   localRoots    paths that are this node's own (env MOSIXVIEW_LOCAL_ROOTS, colon-separated)
 *   blockGuests   refuse guest jobs (until the balancing core's mosctl block takes over)
 *   criuTimeoutMs limit for one criu call (env MOSIXVIEW_CRIU_TIMEOUT_MS)
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeAtomic } from '../stateDir.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PathView } from '../../shared/jobs/targetFacts.js';
import { log } from '../log/log.js';

export interface JobsConfig extends PathView {
  criu?: string;
  jobsDir: string;
  blockGuests: boolean;
  criuTimeoutMs: number;
}

/**
 * Node-local on every node, whatever is mounted: kernel and per-boot file systems. Whether
 * /tmp or /home is shared is found out (shareDetector.ts), not assumed.
 */
export const DEFAULT_LOCAL_ROOTS = ['/proc', '/sys', '/run', '/dev/shm'];

const list = (s: string | undefined): string[] | undefined => (s ? s.split(':').filter(Boolean) : undefined);

const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';
const paths = (v: unknown) => Array.isArray(v) && v.every((p) => typeof p === 'string');
const SETTINGS: Record<string, [check: (v: unknown) => boolean, wanted: string]> = {
  criu: [nonEmpty, 'a file name'],
  jobsDir: [nonEmpty, 'a directory name'],
  sharedRoots: [paths, 'a list of paths'],
  localRoots: [paths, 'a list of paths'],
  blockGuests: [(v) => typeof v === 'boolean', 'true or false'],
  criuTimeoutMs: [(v) => typeof v === 'number' && v > 0 && Number.isFinite(v), 'a number of ms > 0'],
};

/** The settings of jobs.json that have the right type; the others are named on stderr and the defaults apply. */
function readJobsFile(path: string): Partial<JobsConfig> {
  const ignore = (why: string) => log.warn(`${path}: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    ignore(`ignored: ${(e as Error).message}`);
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ignore('ignored: not a JSON object');
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const s = Object.hasOwn(SETTINGS, k) ? SETTINGS[k] : undefined;
    if (s?.[0](v)) out[k] = v;
    else ignore(s ? `setting "${k}" ignored: must be ${s[1]}, not ${JSON.stringify(v)}` : `unknown setting "${k}" ignored (known: ${Object.keys(SETTINGS).join(', ')})`);
  }
  return out;
}

export function loadJobsConfig(stateDir: string, env: NodeJS.ProcessEnv = process.env): JobsConfig {
  const path = join(stateDir, 'jobs.json');
  const file = existsSync(path) ? readJobsFile(path) : {};
  const cfg: JobsConfig = {
    jobsDir: env.MOSIXVIEW_JOBS_DIR || file.jobsDir || join(homedir(), '.mosixview', 'jobs'),
    // Not "/": without a shared file system that would promise files the target does not have.
    sharedRoots: list(env.MOSIXVIEW_SHARED_ROOTS) ?? file.sharedRoots ?? [],
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
  const file = join(stateDir, 'node-id');
  // Asked at every sample outside a cluster: a missing file is the usual case, and a failed read throws (dear).
  if (!existsSync(file)) return 0;
  try {
    const f = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(f) && f > 0) return f;
  } catch {
    /* not set */
  }
  return 0;
}

export function writeNodeId(stateDir: string, node: number): void {
  writeAtomic(join(stateDir, 'node-id'), `${node}\n`);
}
