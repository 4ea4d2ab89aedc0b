/**
 * What one node's row shows, as flat values (store/nodeFigures.ts): they are compared field by
 * field, so a new view whose shown figures are the same (a new second, the same rounded load)
 * does not re-render the row. Percentages are whole, as the bars say them.
 * A new figure in the row: a field here (a string, number or boolean, never an object), computed
 * in rowFigures from the node's view or the store, and shown by NodeRow.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { NodeView } from '../../../shared/domain/node.js';
import { formatKb, loadPercent, memoryUsedPercent } from '../../../shared/loadFigures.js';
import { useCluster, type ClusterState } from '../../store/clusterStore.js';
import { nodeFigures } from '../../store/nodeFigures.js';
import { diskPair, netPair } from '../../ioFigures.js';

/** What the row's message cell reads (RowStatus re-renders only when one of these changed). */
export const ROW_STATUS_FIELDS = ['id', 'status', 'reason', 'isolated', 'ownMap', 'agentNote', 'warning', 'hostKeyRejected'] as const;
export type RowStatusView = Pick<NodeView, (typeof ROW_STATUS_FIELDS)[number]>;

export interface RowFigures extends RowStatusView {
  [figure: string]: string | number | boolean | undefined;
  host: string;
  /** The host button's text (with nslookup: the node's host name and address). */
  name: string;
  /** The sample's figures; undefined while the node is not up. */
  speed: number | undefined;
  cpus: number | undefined;
  loadPercent: number | undefined;
  memPercent: number | undefined;
  memText: string | undefined;
  /** Disk read/write and network receive/send per second, short ("1.2M/307k"): a new second at the same figures re-renders nothing. */
  diskText: string | undefined;
  netText: string | undefined;
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
    diskText: diskPair(s?.io),
    netText: netPair(s?.io),
    actionError: st.actionErrors[id],
    replaying: st.mode === 'replay',
    speedMax: st.speedMax,
  };
}

/** Every row's figures, kept per node: a store update recomputes only the nodes whose view changed. */
export const rowFigureStore = nodeFigures(useCluster, rowFigures);

/**
 * A row out of sight (rowInSight.ts) is not drawn, but a screen reader reads it: it is told of new figures
 * on its own second of every OUT_OF_SIGHT_EVERY_S (staggered by node id, so about a fifth of those rows
 * render in a second and the cost per second stays flat), and at once when its status changes or its
 * first figures come. So what it says is at most a few seconds old, never wrong about up or down.
 */
export const OUT_OF_SIGHT_EVERY_S = 5;

function outOfSightSubscribe(id: number, now: () => number) {
  return (listener: () => void) => {
    let told = rowFigureStore.get(id);
    return rowFigureStore.subscribe(id, () => {
      const next = rowFigureStore.get(id);
      const ownSecond = Math.floor(now() / 1000) % OUT_OF_SIGHT_EVERY_S === id % OUT_OF_SIGHT_EVERY_S;
      const news = next?.status !== told?.status || (told?.loadPercent === undefined) !== (next?.loadPercent === undefined);
      if (!ownSecond && !news) return;
      told = next;
      listener();
    });
  };
}

/**
 * Node `id`'s row figures; the row re-renders only when one of them changed. While `outOfSight`, it is
 * told as outOfSightSubscribe says; once in sight again it renders the figures of that moment.
 */
export function useRowFigures(id: number, outOfSight = false): RowFigures | undefined {
  const subscribe = useCallback((listener: () => void) => rowFigureStore.subscribe(id, listener), [id]);
  const slowSubscribe = useMemo(() => outOfSightSubscribe(id, Date.now), [id]);
  return useSyncExternalStore(outOfSight ? slowSubscribe : subscribe, () => rowFigureStore.get(id));
}
