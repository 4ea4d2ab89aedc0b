/**
 * Why a process cannot migrate, in an admin's words (openMosix's /proc/PID/cantmove).
 * Pure: the agent gathers the facts (agent/jobs/checks.ts), this decides.
 */
import type { NodeId } from '../../shared/domain/node.js';
import { modeForbidsMigration, type RunMode } from '../../shared/jobs/runModes.js';
import type { CriuFacts, PathView, TargetFacts, Visibility } from '../../shared/jobs/targetFacts.js';
import type { JobOwner } from '../../shared/jobs/job.js';
import { firstRootOf, under } from './sharedPaths.js';
import { otherUidReason } from './otherUids.js';

export const MIN_CRIU_MAJOR = 4;

export const NOT_A_JOB = 'not started with mosrun: only mosrun jobs can migrate';

/** One open file, mapping, or directory of a process in the job. */
export interface FileFact {
  pid: number;
  /** "fd 3", "cwd", "mapping", ... */
  where: string;
  kind: 'file' | 'dir' | 'device' | 'tty' | 'pipe' | 'unix' | 'tcp' | 'udp' | 'anon' | 'other';
  /** File path, or a description of the socket or other object. */
  path: string;
  /** For pipes and unix sockets: the process outside the job at the other end. */
  peerOutside?: string;
  /** For files removed while open: their size (CRIU copies small ones into the image). */
  deletedSize?: number;
}

export interface MoveFacts {
  isJob: boolean;
  locked: boolean;
  mode?: RunMode;
  /** The job's home node; runhome is checked against the target. */
  home?: NodeId;
  /** Source node (this node's ID) and its own facts. */
  source: { node: NodeId; criu: CriuFacts } & PathView;
  target?: TargetFacts;
  files: FileFact[];
  /**
   * What the agent found out about each file's path on the target (or, without one, on
   * any other node): agent/jobs/shareDetector.ts. Configured roots override it.
   */
  seen?: ReadonlyMap<string, Visibility>;
  /** The job's owner when another user than the agent's, and whether CRIU here may checkpoint that (otherUids.ts). */
  otherOwner?: JobOwner;
  checkpointsOtherUids?: boolean;
}

/** Devices that exist, with the same meaning, on every Linux node. */
const PORTABLE_DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom']);
/** CRIU's default ghost-file limit: larger deleted files are not copied into the image. */
export const GHOST_LIMIT = 1 << 20;

export function criuMajor(version: string | undefined): number | undefined {
  const m = /^(\d+)\./.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Why a node's CRIU cannot migrate, or undefined when it can. */
export function criuProblem(node: NodeId, c: CriuFacts): string | undefined {
  const on = node ? `on node ${node}` : 'on this node';
  if (!c.path) return `CRIU is not installed ${on}: install criu >= ${MIN_CRIU_MAJOR} from the distribution, or set MOSIXVIEW_CRIU to its path`;
  if (c.version === undefined) return `CRIU at ${c.path} ${on} does not run${c.problem ? `: ${c.problem}` : ''}`;
  const major = criuMajor(c.version);
  if (major === undefined || major < MIN_CRIU_MAJOR) {
    return `CRIU ${c.version} ${on} is too old: need >= ${MIN_CRIU_MAJOR} (older versions cannot restore on current kernels); install a newer criu or set MOSIXVIEW_CRIU`;
  }
  if (c.problem) return `CRIU ${c.version} ${on} cannot checkpoint: ${c.problem}`;
  return undefined;
}

/** True when `path` is seen the same way on both nodes by their configuration (sharedRoots, localRoots). */
export function visibleOn(path: string, a: PathView, b: PathView): boolean {
  const shared = (v: PathView) => v.sharedRoots.some((r) => under(path, r)) && !v.localRoots.some((r) => under(path, r));
  return shared(a) && shared(b);
}

/** Why the file is not visible on the target: a configured local root, else what was found out; undefined when it is. */
function pathReason(f: FileFact, src: PathView, dst: PathView, targetName: string, seen: MoveFacts['seen']): string | undefined {
  const who = `${f.where} of process ${f.pid}`;
  const local = firstRootOf(f.path, src.localRoots) ?? firstRootOf(f.path, dst.localRoots);
  if (local) return `${f.path} (${who}) is not visible on ${targetName}: it is under ${local}, which localRoots names as node-local`;
  if (visibleOn(f.path, src, dst)) return undefined;
  const v = seen?.get(f.path);
  if (v?.visible) return undefined;
  return `${f.path} (${who}) is not visible on ${targetName}: ${v ? v.why : 'it is outside the shared paths'}`;
}

function fileReason(f: FileFact, src: PathView, dst: PathView, targetName: string, seen: MoveFacts['seen']): string | undefined {
  const who = `${f.where} of process ${f.pid}`;
  switch (f.kind) {
    case 'tty':
      return `it uses the terminal ${f.path} (${who}); a terminal cannot move: start it with its input and output redirected`;
    case 'tcp':
      return `it has a network socket (${f.path}, ${who}); TCP connections and listening ports cannot move to another node`;
    case 'udp':
      return `it has a network socket (${f.path}, ${who}) bound to this node's address`;
    case 'pipe':
    case 'unix':
      return f.peerOutside
        ? `it talks to ${f.peerOutside}, which is not part of the job, through a ${f.kind === 'pipe' ? 'pipe' : 'socket'} (${who})`
        : undefined;
    case 'device':
      return PORTABLE_DEVICES.has(f.path) ? undefined : `it has the device ${f.path} open (${who}); devices stay with their node`;
    case 'file':
    case 'dir':
      if (f.deletedSize !== undefined) {
        return f.deletedSize > GHOST_LIMIT
          ? `it holds a deleted file of ${Math.round(f.deletedSize / 1048576)} MB (${f.path}, ${who}); only deleted files up to 1 MB are carried along`
          : undefined;
      }
      return pathReason(f, src, dst, targetName, seen);
    default:
      return undefined;
  }
}

/**
 * Every reason the process cannot move to the target (or anywhere, without a target);
 * empty when it can. Each reason is a sentence an admin can act on.
 */
export function cantMoveReasons(f: MoveFacts): string[] {
  if (!f.isJob) return [NOT_A_JOB];
  const out: string[] = [];
  const modeReason = f.mode ? modeForbidsMigration(f.mode) : undefined;
  if (modeReason && !(f.mode?.kind === 'runhome' && f.target && f.target.node === f.home)) out.push(modeReason);
  else if (f.locked) out.push('it is locked: unlock it first (migrator or "migrate PID unlock")');
  const src = criuProblem(0, f.source.criu);
  if (src) out.push(src);
  if (f.otherOwner && f.checkpointsOtherUids === false) out.push(otherUidReason(f.otherOwner));
  const t = f.target;
  const name = t ? `node ${t.node}` : 'other nodes';
  if (t) {
    const dst = criuProblem(t.node, t.criu);
    if (dst) out.push(dst);
    if (t.blocksGuests) out.push(`node ${t.node} blocks guest processes (mosctl block): allow them there with "mosctl noblock"`);
    if (t.node === f.source.node) out.push(`it already runs on node ${t.node}`);
  }
  const dstView: PathView = t ?? f.source;
  const seen = new Set<string>();
  for (const file of f.files) {
    const r = fileReason(file, f.source, dstView, name, f.seen);
    // Many threads and fds share one cause; say it once per object.
    const key = `${file.kind}:${file.path}`;
    if (r && !seen.has(key)) {
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

/** One line for the process list's "cantMove" field. */
export function summarizeReasons(reasons: readonly string[]): string | undefined {
  if (reasons.length === 0) return undefined;
  return reasons.length === 1 ? reasons[0] : `${reasons[0]} (and ${reasons.length - 1} more)`;
}
