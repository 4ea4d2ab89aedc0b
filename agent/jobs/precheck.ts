/**
 * "Can it migrate?" before a job starts (advanced execution): its mode, this node's CRIU, and
 * whether its working directory and program are seen alike on another node. A job whose
 * files stay behind can never move, and an admin would only learn it once it should.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { JobSpec } from '../../shared/jobs/job.js';
import { modeForbidsMigration } from '../../shared/jobs/runModes.js';
import type { CriuFacts, MigrationPrecheck, PathView, SharedWorkdir, Visibility } from '../../shared/jobs/targetFacts.js';
import { criuProblem, visibleOn } from './cantMove.js';
import { firstRootOf, nodeList } from './sharedPaths.js';
import { NO_OTHER_NODE } from './shareDetector.js';

export interface PrecheckDeps {
  criu(): Promise<CriuFacts>;
  isDir(path: string): boolean;
  /** This node's configured roots: they override what is found out. */
  config: PathView;
  shares: {
    others(): NodeId[];
    anywhere(paths: readonly string[], cwd: string | undefined): Promise<{ seen: Map<string, Visibility>; sharedWith: NodeId[] }>;
  };
}

export async function precheck(spec: Pick<JobSpec, 'argv' | 'cwd' | 'mode'>, d: PrecheckDeps): Promise<MigrationPrecheck> {
  const reasons: string[] = [];
  const mode = modeForbidsMigration(spec.mode);
  if (mode) reasons.push(mode);
  const criu = criuProblem(0, await d.criu());
  if (criu) reasons.push(criu);
  const program = spec.argv[0] ?? '';
  const items: { path: string; what: string; exists: boolean }[] = [
    { path: spec.cwd, what: 'working directory', exists: d.isDir(spec.cwd) },
    // A bare name is found on PATH by the shell of the node it starts on: nothing to compare.
    ...(program.startsWith('/') ? [{ path: program, what: 'program', exists: true }] : []),
  ];
  const ask: string[] = [];
  for (const it of items) {
    const local = firstRootOf(it.path, d.config.localRoots);
    if (!it.exists) reasons.push(`its ${it.what} ${it.path} does not exist on this node`);
    else if (local) reasons.push(`its ${it.what} ${it.path} is under ${local}, which localRoots names as node-local`);
    else if (!visibleOn(it.path, d.config, d.config)) ask.push(it.path);
  }
  if (ask.length === 0) return { reasons, sharedWith: reasons.length ? [] : d.shares.others() };
  const { seen, sharedWith } = await d.shares.anywhere(ask, spec.cwd);
  for (const it of items) {
    const v = seen.get(it.path);
    if (!v || v.visible) continue;
    reasons.push(
      it.what === 'program'
        ? `its program ${it.path} is not on the other nodes alike: ${v.why}`
        : `its working directory ${it.path} is not shared with another node: ${v.why}; start it in a directory every node mounts (an NFS home)`,
    );
  }
  return { reasons, sharedWith: reasons.length ? [] : sharedWith };
}

/** The agent user's home as a job's default working directory: offered only when every other node sees it. */
export async function sharedWorkdir(home: string, d: Omit<PrecheckDeps, 'criu'>): Promise<SharedWorkdir> {
  const local = firstRootOf(home, d.config.localRoots);
  if (local) return { home, shared: false, why: `it is under ${local}, which localRoots names as node-local` };
  if (visibleOn(home, d.config, d.config)) return { home, shared: true };
  const others = d.shares.others();
  const { seen, sharedWith } = await d.shares.anywhere([home], home);
  const v = seen.get(home);
  if (v && !v.visible) return { home, shared: false, why: v.why };
  const missing = others.filter((n) => !sharedWith.includes(n));
  if (others.length === 0 || missing.length) return { home, shared: false, why: others.length ? `only ${nodeList(sharedWith)} ${sharedWith.length === 1 ? 'sees' : 'see'} it, not ${nodeList(missing)}` : NO_OTHER_NODE };
  return { home, shared: true };
}
