/**
 * What another node really shares with this one, found out instead of assumed: a marker file
 * written under a directory here (the job's working directory, the user's home, the jobs
 * directory) is looked for there; a file outside those (a library, the program) counts when
 * the other node has the same one (size and modification time). Answers are kept per node
 * and path for a while (sharedPaths.ts); a node that does not answer is named, not remembered.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { FileStamp, ShareMarker, Visibility } from '../../shared/jobs/targetFacts.js';
import { MAX_SHARE_FILES, MAX_SHARE_MARKERS } from '../../shared/protocol/peerJobs.validate.js';
import type { PeerLink } from '../migrate/ports.js';
import { ShareCache, mergeAnywhere, rootOf } from './sharedPaths.js';
import { removeMarker, stampOf, writeMarker } from './shareProbe.js';
import type { FileFact } from './cantMove.js';

export type ShareLink = Pick<PeerLink, 'selfId' | 'nodes' | 'request'>;

export interface ShareIo {
  writeMarker(dir: string): ShareMarker;
  removeMarker(m: ShareMarker): void;
  stampOf(path: string): FileStamp | null;
}

export interface ShareDetectorDeps {
  link(): ShareLink | undefined;
  /** Directories to test as a whole besides a job's working directory: the user's home, the jobs directory. */
  roots(): string[];
  now(): number;
  io?: ShareIo;
  /** How long one node may take to answer. */
  timeoutMs?: number;
}

export const NO_OTHER_NODE = 'this node is not in a cluster yet: there is no other node to compare with';
const GONE_HERE: Visibility = { visible: false, why: 'it is gone here, so it could not be compared' };
const realIo: ShareIo = { writeMarker, removeMarker, stampOf };

const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

export class ShareDetector {
  private readonly cache: ShareCache;
  /** Working directory -> visible on another node (the balancer's question, asked in the background). */
  private readonly cwdCache: ShareCache;
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly io: ShareIo;

  constructor(private readonly d: ShareDetectorDeps) {
    this.cache = new ShareCache(d.now);
    this.cwdCache = new ShareCache(d.now);
    this.io = d.io ?? realIo;
  }

  /** The other nodes of the cluster map. */
  others(): NodeId[] {
    const link = this.d.link();
    return link ? link.nodes.map((n) => n.id).filter((id) => id !== link.selfId) : [];
  }

  /** For each path: is it seen alike on `node`? */
  async towards(node: NodeId, paths: readonly string[], cwd: string | undefined): Promise<Map<string, Visibility>> {
    const link = this.d.link();
    const out = new Map<string, Visibility>();
    if (!link) {
      for (const p of paths) out.set(p, { visible: false, why: NO_OTHER_NODE });
      return out;
    }
    const roots = [...(cwd ? [cwd] : []), ...this.d.roots()].filter((r) => r.startsWith('/'));
    const keyOf = new Map<string, string>();
    const askRoots = new Set<string>();
    const askFiles = new Map<string, { path: string; stamp: FileStamp }>();
    for (const p of paths) {
      const root = rootOf(p, roots);
      if (root) {
        const key = `${node}|dir|${root}`;
        keyOf.set(p, key);
        if (!this.cache.get(key)) askRoots.add(root);
        continue;
      }
      const stamp = this.io.stampOf(p);
      if (!stamp) {
        out.set(p, GONE_HERE);
        continue;
      }
      // The stamp here is part of the key: a file written since is compared again.
      const key = `${node}|file|${p}|${stamp.size}|${stamp.mtimeMs}`;
      keyOf.set(p, key);
      if (!this.cache.get(key)) askFiles.set(key, { path: p, stamp });
    }
    const transient = await this.ask(link, node, [...askRoots], [...askFiles]);
    for (const [p, key] of keyOf) out.set(p, transient.get(key) ?? this.cache.get(key) ?? { visible: false, why: 'no answer was kept' });
    return out;
  }

  /** Asks `node` about the roots and files; answers go to the cache, a failure is returned (not kept). */
  private async ask(link: ShareLink, node: NodeId, roots: string[], files: [string, { path: string; stamp: FileStamp }][]): Promise<Map<string, Visibility>> {
    const failed = new Map<string, Visibility>();
    const markers: { key: string; m: ShareMarker }[] = [];
    for (const root of roots) {
      const key = `${node}|dir|${root}`;
      try {
        markers.push({ key, m: this.io.writeMarker(root) });
      } catch (e) {
        this.cache.set(key, { visible: false, why: `a marker file could not be written in ${root} to test it (${(e as Error).message}); if every node sees it, name it in sharedRoots (jobs.json)` });
      }
    }
    try {
      const rounds = Math.max(Math.ceil(markers.length / MAX_SHARE_MARKERS), Math.ceil(files.length / MAX_SHARE_FILES));
      const ms = chunks(markers, MAX_SHARE_MARKERS);
      const fs = chunks(files, MAX_SHARE_FILES);
      for (let i = 0; i < rounds; i++) {
        const m = ms[i] ?? [];
        const f = fs[i] ?? [];
        try {
          const res = await link.request(node, 'share.look', { markers: m.map((x) => x.m), files: f.map(([, x]) => x.path) }, this.d.timeoutMs ?? 5000);
          m.forEach((x, j) => this.cache.set(x.key, res.markers[j] ? { visible: true } : { visible: false, why: `a marker file written in ${x.m.dir} here is not seen there` }));
          f.forEach(([key, x], j) => this.cache.set(key, compare(x.stamp, res.files[j] ?? null)));
        } catch (e) {
          const why = { visible: false as const, why: `no answer to the shared-files check: ${(e as Error).message}` };
          for (const x of m) failed.set(x.key, why);
          for (const [key] of f) failed.set(key, why);
        }
      }
    } finally {
      for (const { m } of markers) {
        try {
          this.io.removeMarker(m);
        } catch {
          /* a marker left behind is a small hidden file, and never counts again (new token each time) */
        }
      }
    }
    return failed;
  }

  /** For each path: is it seen on at least one other node; and which nodes see them all. */
  async anywhere(paths: readonly string[], cwd: string | undefined): Promise<{ seen: Map<string, Visibility>; sharedWith: NodeId[] }> {
    const others = this.others();
    if (others.length === 0) return { seen: new Map(paths.map((p) => [p, { visible: false, why: NO_OTHER_NODE }])), sharedWith: [] };
    const per = await Promise.all(others.map(async (n) => [n, await this.towards(n, paths, cwd)] as const));
    return mergeAnywhere(new Map(per), paths);
  }

  /**
   * Why a job in `cwd` could go nowhere, from what is known now (never waits: the balancer
   * asks once a second). Unknown yet: undefined, and the question is asked in the background.
   */
  cwdProblem(cwd: string): string | undefined {
    const v = this.cwdCache.get(cwd);
    if (v === undefined) {
      this.refresh(cwd);
      return undefined;
    }
    return v.visible ? undefined : `its working directory ${cwd} is not shared with another node: ${v.why}`;
  }

  private refresh(cwd: string): void {
    if (this.refreshing.has(cwd) || this.others().length === 0) return;
    const p = this.anywhere([cwd], cwd)
      .then(({ seen }) => this.cwdCache.set(cwd, seen.get(cwd)!))
      .catch(() => undefined)
      .finally(() => this.refreshing.delete(cwd));
    this.refreshing.set(cwd, p);
  }

  /** Resolves when the background questions asked so far have their answers (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.refreshing.values()]);
  }
}

function compare(here: FileStamp, there: FileStamp | null): Visibility {
  if (!there) return { visible: false, why: 'there is no such file there' };
  return there.size === here.size && there.mtimeMs === here.mtimeMs ? { visible: true } : { visible: false, why: 'there is another file there (other size or modification time)' };
}

/** What the target (or, without one, any other node) sees of a job's files and directories; undefined when it has none. */
export async function filesSeen(shares: Pick<ShareDetector, 'towards' | 'anywhere'>, files: readonly FileFact[], cwd: string, target: NodeId | undefined) {
  // Deleted files travel in the image (or are refused for their size): nothing to look for.
  const paths = [...new Set(files.filter((f) => (f.kind === 'file' || f.kind === 'dir') && f.deletedSize === undefined).map((f) => f.path))];
  if (paths.length === 0) return undefined;
  return target !== undefined ? shares.towards(target, paths, cwd) : (await shares.anywhere(paths, cwd)).seen;
}
