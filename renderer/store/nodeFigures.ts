/**
 * What each node's row shows, kept per node ID with listeners per node: a store update
 * recomputes and announces only the nodes whose view changed. With one selector per row on
 * the whole store (zustand's useShallow), every update ran 128 selectors and 128 shallow
 * compares (each building two Maps) for the ~32 nodes that had news: a fifth of the window's
 * script time at 128 nodes.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { ClusterState } from './clusterStore.js';

/** A figure a row shows: compared with ===, so never an object or array (a new one each time would re-render every row). */
export type Figure = string | number | boolean | undefined;
export type Figures = { readonly [name: string]: Figure };

/** Field by field (===), both ways, so a figure that appears or goes counts as a change. */
export function sameFigures(a: Figures | undefined, b: Figures | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k] || !(k in b)) return false;
  return true;
}

/**
 * The nodes whose figures may differ between two states: those whose view object changed, or
 * 'all' when anything else in the state changed (mode, nslookup, an action error, the speed
 * range...: rare, and a figure may read any of it, so none is forgotten when a figure is added).
 */
export function changedNodes(prev: ClusterState, next: ClusterState): NodeId[] | 'all' {
  if (prev === next) return [];
  for (const k of Object.keys(next) as (keyof ClusterState)[]) if (k !== 'nodes' && !Object.is(prev[k], next[k])) return 'all';
  if (prev.nodes === next.nodes) return [];
  const ids: NodeId[] = [];
  for (const key of Object.keys(next.nodes)) {
    const id = Number(key);
    if (prev.nodes[id] !== next.nodes[id]) ids.push(id);
  }
  for (const key of Object.keys(prev.nodes)) if (!(key in next.nodes)) ids.push(Number(key));
  return ids;
}

export interface NodeFigures<F extends Figures> {
  /** The node's figures; the same object until one of them changes (useSyncExternalStore's snapshot). */
  get(id: NodeId): F | undefined;
  /** `listener` runs when the node's figures change; returns the unsubscribe. */
  subscribe(id: NodeId, listener: () => void): () => void;
}

/** A minimal store: what zustand's `useCluster` offers (getState, subscribe). */
export interface ClusterSource {
  getState(): ClusterState;
  subscribe(listener: (state: ClusterState, prev: ClusterState) => void): () => void;
}

/**
 * `figuresOf` per node over `store`. Invariant: every node in the cache has the figures of the
 * store's current state (the store's own listener updates them before any row's runs).
 */
export function nodeFigures<F extends Figures>(store: ClusterSource, figuresOf: (st: ClusterState, id: NodeId) => F | undefined): NodeFigures<F> {
  const cache = new Map<NodeId, F | undefined>();
  const listeners = new Map<NodeId, Set<() => void>>();
  store.subscribe((st, prev) => {
    const changed = changedNodes(prev, st);
    const ids = changed === 'all' ? [...cache.keys()] : changed.filter((id) => cache.has(id));
    const announce: (() => void)[] = [];
    for (const id of ids) {
      const next = figuresOf(st, id);
      if (sameFigures(cache.get(id), next)) continue;
      cache.set(id, next);
      listeners.get(id)?.forEach((l) => announce.push(l));
    }
    // After every cache entry is current: a listener that reads another node sees this state too.
    announce.forEach((l) => l());
  });
  return {
    get(id) {
      if (!cache.has(id)) cache.set(id, figuresOf(store.getState(), id));
      return cache.get(id);
    },
    subscribe(id, listener) {
      // Cached from now on, so the store's listener keeps the node's figures current and announces their changes.
      if (!cache.has(id)) cache.set(id, figuresOf(store.getState(), id));
      let set = listeners.get(id);
      if (!set) listeners.set(id, (set = new Set()));
      set.add(listener);
      // The figures stay cached (a row that comes back finds the same object): one entry per node ever shown.
      return () => set.delete(listener);
    },
  };
}
