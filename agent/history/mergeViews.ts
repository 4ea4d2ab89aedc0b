/**
 * Merging what several sources know about the cluster: for every node the newest
 * evidence wins (a sample's own time, or when a source last saw the node down), and a
 * node whose newest sample is too old counts as down rather than frozen at its last load.
 */
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';
import { copyWith } from '../copyWith.js';

export interface ViewSource {
  nodes: ClusterViewNode[];
  /** When this source's knowledge was current (ms): the time of a 'down' without a sample. */
  at: number;
}

export const STALE_MS = 5000;

export function mergeViews(sources: readonly ViewSource[], now: number, staleMs = STALE_MS): ClusterViewNode[] {
  const best = new Map<number, { node: ClusterViewNode; at: number }>();
  for (const src of sources) {
    for (const n of src.nodes) {
      const at = n.status === 'up' && n.sample ? n.sample.t : n.at ?? src.at;
      const cur = best.get(n.id);
      // Equal times: a sample beats a bare status.
      if (!cur || at > cur.at || (at === cur.at && !cur.node.sample && n.sample)) {
        // Every node of every source each second the collector asks: copyWith, not a spread (agent/copyWith.ts).
        best.set(n.id, { node: copyWith(n, { host: n.host || cur?.node.host || '' }), at });
      }
    }
  }
  return [...best.values()]
    .map(({ node, at }) => {
      const usable = node.status === 'up' && node.sample && now - at <= staleMs;
      return usable ? node : { id: node.id, host: node.host, status: 'down' as const };
    })
    .sort((a, b) => a.id - b.id);
}
