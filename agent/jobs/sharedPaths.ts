/**
 * The pure half of "what is really shared between two nodes" (agent/jobs/shareDetector.ts
 * does the asking): which directory stands for a path, how long an answer holds, and how the
 * answers of several nodes add up to "visible on another node".
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { Visibility } from '../../shared/jobs/targetFacts.js';

/** True when `path` is `root` or lies below it ("/" holds every path). */
export const under = (path: string, root: string): boolean =>
  root === '/' || path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);

/** The deepest of `roots` that holds `path`, or undefined when none does. */
export function rootOf(path: string, roots: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const r of roots) if (under(path, r) && (best === undefined || r.length > best.length)) best = r;
  return best;
}

/** The first of `roots` that holds `path`. */
export const firstRootOf = (path: string, roots: readonly string[]): string | undefined => roots.find((r) => under(path, r));

/**
 * Answers by key ("node|what") until they expire. "Shared" holds longer: mounts rarely go
 * away; "not shared" is asked again soon, since the admin may be mounting it right now.
 */
export class ShareCache {
  static readonly SHARED_MS = 10 * 60_000;
  static readonly NOT_SHARED_MS = 60_000;
  private readonly entries = new Map<string, { v: Visibility; until: number }>();

  constructor(private readonly now: () => number) {}

  get(key: string): Visibility | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() >= e.until) {
      this.entries.delete(key);
      return undefined;
    }
    return e.v;
  }

  set(key: string, v: Visibility): void {
    this.entries.set(key, { v, until: this.now() + (v.visible ? ShareCache.SHARED_MS : ShareCache.NOT_SHARED_MS) });
  }
}

export const nodeList = (nodes: readonly NodeId[]) => `${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')}`;

/**
 * Each path is visible when one other node sees it; otherwise the reasons, one per distinct
 * answer, with the nodes that gave it. `sharedWith`: the nodes that see every path.
 */
export function mergeAnywhere(perNode: ReadonlyMap<NodeId, ReadonlyMap<string, Visibility>>, paths: readonly string[]): { seen: Map<string, Visibility>; sharedWith: NodeId[] } {
  const seen = new Map<string, Visibility>();
  for (const p of paths) {
    const whys = new Map<string, NodeId[]>();
    let visible = false;
    for (const [node, m] of perNode) {
      const v = m.get(p);
      if (v?.visible) visible = true;
      else if (v) whys.set(v.why, [...(whys.get(v.why) ?? []), node]);
    }
    seen.set(p, visible ? { visible: true } : { visible: false, why: [...whys].map(([why, nodes]) => `${why} (${nodeList(nodes)})`).join('; ') || 'no other node was asked' });
  }
  const sharedWith = [...perNode].filter(([, m]) => paths.every((p) => m.get(p)?.visible)).map(([n]) => n);
  return { seen, sharedWith };
}
