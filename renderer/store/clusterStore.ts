/**
 * Cluster state in the renderer: one slice of node views keyed by node ID. Rows select
 * what they show of their own node, so an update of one node re-renders only its row, and
 * only if something shown changed (routes/main/rowFigures.ts). The state changes only
 * through `clusterActions` (the lint rule in eslint.config.mjs refuses `useCluster.setState`
 * elsewhere), so what `mode` means is decided here, once.
 */
import { create } from 'zustand';
import type { NodeId, NodeView } from '../../shared/domain/node.js';
import type { ClusterSnapshot, HostKeyPrompt } from '../../shared/protocol/api.js';
import type { ClusterMoment } from '../../shared/protocol/agentHistory.js';
import { DEFAULT_SPEED_MAX, widenSpeedMax } from './speedRange.js';
import { pastViews } from './pastViews.js';

/**
 * What the rows show: `live` views as they come, `paused` (Autorefresh off) the last ones
 * until a refresh, `replay` a recorded moment; live views and refreshes wait for "Live".
 */
export type ClusterMode = 'live' | 'paused' | 'replay';

export interface ClusterState {
  name: string;
  source: ClusterSnapshot['source'] | undefined;
  order: NodeId[];
  nodes: Record<NodeId, NodeView>;
  prompts: HostKeyPrompt[];
  mode: ClusterMode;
  /** The mode to return to when replay ends. */
  modeBeforeReplay: Exclude<ClusterMode, 'replay'>;
  nslookup: boolean;
  connection: 'connecting' | 'open' | 'lost';
  connectionError: string | undefined;
  /** Per node: the last error of an action (e.g. setting the speed), shown in its row. */
  actionErrors: Record<NodeId, string | undefined>;
  /** The end of every speed slider's range (speedRange.ts): one scale for the whole cluster. */
  speedMax: number;
}

export const initialClusterState: ClusterState = {
  name: '',
  source: undefined,
  order: [],
  nodes: {},
  prompts: [],
  mode: 'live',
  modeBeforeReplay: 'live',
  nslookup: false,
  connection: 'connecting',
  connectionError: undefined,
  actionErrors: {},
  speedMax: DEFAULT_SPEED_MAX,
};

export const useCluster = create<ClusterState>(() => initialClusterState);

export const clusterActions = {
  applySnapshot(s: ClusterSnapshot): void {
    useCluster.setState((st) => {
      const nodes: Record<NodeId, NodeView> = {};
      for (const n of s.nodes) nodes[n.id] = sameView(st.nodes[n.id], n) ? st.nodes[n.id]! : n;
      return {
        name: s.name,
        source: s.source,
        order: s.nodes.map((n) => n.id),
        nodes,
        prompts: s.hostKeyPrompts,
        speedMax: widenSpeedMax(st.speedMax, s.nodes),
      };
    });
  },
  applyView(v: NodeView): void {
    clusterActions.applyViews([v]);
  },
  /** Live views of many nodes as one change (one render of the window; of one node, the last wins). */
  applyViews(views: readonly NodeView[]): void {
    const st = useCluster.getState();
    if (st.mode !== 'live') return;
    const known = views.filter((v) => v.id in st.nodes);
    if (known.length === 0) return;
    const nodes = { ...st.nodes };
    for (const v of known) nodes[v.id] = v;
    useCluster.setState({ nodes, speedMax: widenSpeedMax(st.speedMax, known) });
  },
  addPrompt(p: HostKeyPrompt): void {
    useCluster.setState((st) => ({ prompts: [...st.prompts.filter((x) => x.promptId !== p.promptId), p] }));
  },
  removePrompt(promptId: string): void {
    useCluster.setState((st) => ({ prompts: st.prompts.filter((x) => x.promptId !== promptId) }));
  },
  setActionError(id: NodeId, message: string | undefined): void {
    useCluster.setState((st) => ({ actionErrors: { ...st.actionErrors, [id]: message } }));
  },
  /** Autorefresh off: the rows keep their views until a refresh or `resume()`. */
  pause(): void {
    useCluster.setState((st) => (st.mode === 'live' ? { mode: 'paused' } : st));
  },
  /** Autorefresh on again (the caller reads a fresh snapshot: the views missed meanwhile). */
  resume(): void {
    useCluster.setState((st) => (st.mode === 'paused' ? { mode: 'live' } : st));
  },
  /** The rows show the moment `m` (null: no history then); the mode before is kept for `leaveReplay`. */
  enterReplay(m: ClusterMoment | null): void {
    useCluster.setState((st) => ({
      mode: 'replay',
      modeBeforeReplay: st.mode === 'replay' ? st.modeBeforeReplay : st.mode,
      nodes: pastViews(st.order, st.nodes, m),
    }));
  },
  /** Back to the mode before replay (the caller reads a fresh snapshot for the rows). */
  leaveReplay(): void {
    useCluster.setState((st) => (st.mode === 'replay' ? { mode: st.modeBeforeReplay } : st));
  },
  setNslookup(on: boolean): void {
    useCluster.setState({ nslookup: on });
  },
  setConnection(connection: ClusterState['connection'], why: string | undefined): void {
    useCluster.setState({ connection, connectionError: why });
  },
  /** A fresh store, as a new window starts with (tests start each case with it). */
  reset(): void {
    useCluster.setState(initialClusterState, true);
  },
};

function sameView(a: NodeView | undefined, b: NodeView): boolean {
  return (
    !!a && a.status === b.status && a.reason === b.reason && a.sample?.t === b.sample?.t && a.address === b.address &&
    a.hostKeyRejected === b.hostKeyRejected
  );
}

export const selectNode = (id: NodeId) => (s: ClusterState) => s.nodes[id];
