/**
 * Replay in the main window: the rows show recorded views instead of live ones. Live
 * updates are held back through the store's autorefresh switch (restored on "Live"),
 * so no other part of the main window needs to know about replay.
 */
import type { NodeView } from '../../shared/domain/node.js';
import type { ClusterMoment } from '../../shared/protocol/agentHistory.js';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { clusterActions, useCluster } from '../store/clusterStore.js';

let savedAutorefresh: boolean | undefined;

/** The past views of the window's nodes; a node without a record at that moment shows as down. */
export function pastViews(order: readonly number[], current: Record<number, NodeView>, m: ClusterMoment | null): Record<number, NodeView> {
  const out: Record<number, NodeView> = {};
  for (const id of order) {
    const host = current[id]?.host ?? '';
    const rec = m?.nodes.find((n) => n.id === id);
    out[id] = rec && rec.status === 'up' && rec.sample
      ? { id, host, status: 'up', sample: rec.sample }
      : { id, host, status: 'down', reason: m ? (rec ? 'down at that time' : 'not recorded at that time') : 'no history at that time' };
  }
  return out;
}

export function showPast(m: ClusterMoment | null): void {
  const st = useCluster.getState();
  if (savedAutorefresh === undefined) savedAutorefresh = st.autorefresh;
  useCluster.setState({ autorefresh: false, replaying: true, nodes: pastViews(st.order, st.nodes, m) });
}

export async function backToLive(bridge: MosixviewBridge): Promise<void> {
  useCluster.setState({ autorefresh: savedAutorefresh ?? true, replaying: false });
  savedAutorefresh = undefined;
  clusterActions.applySnapshot(await bridge.invoke('cluster.get', null));
}
