/**
 * Cluster state in the renderer: one slice of node views keyed by node ID. Rows select
 * their own node, so an update of one node re-renders only its row.
 */
import { create } from 'zustand';
import type { NodeId, NodeView } from '../../shared/domain/node.js';
import type { ClusterSnapshot, HostKeyPrompt } from '../../shared/protocol/api.js';
import { DEFAULT_SPEED_MAX, widenSpeedMax } from './speedRange.js';

export interface ClusterState {
  name: string;
  source: ClusterSnapshot['source'] | undefined;
  order: NodeId[];
  nodes: Record<NodeId, NodeView>;
  prompts: HostKeyPrompt[];
  autorefresh: boolean;
  /** The rows show a recorded moment (replay): live updates and refreshes wait for "Live". */
  replaying: boolean;
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
  autorefresh: true,
  replaying: false,
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
    const st = useCluster.getState();
    if (!st.autorefresh || !(v.id in st.nodes)) return;
    useCluster.setState({ nodes: { ...st.nodes, [v.id]: v }, speedMax: widenSpeedMax(st.speedMax, [v]) });
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
};

function sameView(a: NodeView | undefined, b: NodeView): boolean {
  return (
    !!a && a.status === b.status && a.reason === b.reason && a.sample?.t === b.sample?.t && a.address === b.address &&
    a.hostKeyRejected === b.hostKeyRejected
  );
}

export const selectNode = (id: NodeId) => (s: ClusterState) => s.nodes[id];
