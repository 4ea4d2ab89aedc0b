/** What the main window's rows show during replay: each node as the collector recorded it at one moment. */
import type { NodeView } from '../../shared/domain/node.js';
import type { ClusterMoment } from '../../shared/protocol/agentHistory.js';

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
