/**
 * What one node's row shows, as flat values: the row compares them field by field
 * (zustand's useShallow), so a new view whose shown figures are the same (a new second,
 * the same rounded load) does not re-render the row. Percentages are whole, as the bars say them.
 */
import type { NodeView } from '../../../shared/domain/node.js';
import { formatKb, loadPercent, memoryUsedPercent } from '../../../shared/loadFigures.js';
import type { ClusterState } from '../../store/clusterStore.js';

export type RowStatusView = Pick<NodeView, 'id' | 'status' | 'reason' | 'isolated' | 'ownMap' | 'agentNote' | 'warning' | 'hostKeyRejected'>;

export interface RowFigures extends RowStatusView {
  host: string;
  /** The host button's text (with nslookup: the node's host name and address). */
  name: string;
  /** The sample's figures; undefined while the node is not up. */
  speed: number | undefined;
  cpus: number | undefined;
  loadPercent: number | undefined;
  memPercent: number | undefined;
  memText: string | undefined;
  actionError: string | undefined;
  replaying: boolean;
  speedMax: number;
}

export function rowFigures(st: ClusterState, id: number): RowFigures | undefined {
  const node = st.nodes[id];
  if (!node) return undefined;
  const s = node.status === 'up' ? node.sample : undefined;
  const shownHost = s?.hostname ?? node.host;
  const mem = s && Math.round(memoryUsedPercent(s));
  return {
    id,
    status: node.status,
    reason: node.reason,
    isolated: node.isolated,
    ownMap: node.ownMap,
    agentNote: node.agentNote,
    warning: node.warning,
    hostKeyRejected: node.hostKeyRejected,
    host: node.host,
    name: st.nslookup ? `${shownHost}${node.address && node.address !== shownHost ? ` (${node.address})` : ''}` : node.host,
    speed: s?.speed,
    cpus: s?.cpus,
    loadPercent: s && Math.round(loadPercent(s)),
    memPercent: mem,
    memText: s ? `${mem}% used, ${formatKb(s.mem.availableKb)} available` : undefined,
    actionError: st.actionErrors[id],
    replaying: st.mode === 'replay',
    speedMax: st.speedMax,
  };
}
