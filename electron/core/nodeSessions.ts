/** The cluster's node sessions, one per node of the map (or the one local node), in map order. */
import { hostname } from 'node:os';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { NodeId, NodeView } from '../../shared/domain/node.js';
import { NodeSession } from './nodeSession.js';
import type { ClusterMembership } from './clusterMembership.js';
import type { HostKeyDecision, ServiceDeps } from './clusterTypes.js';
import type { ClusterConfig } from './profile.js';

export class NodeSessions {
  private readonly byId = new Map<NodeId, NodeSession>();

  constructor(
    config: ClusterConfig,
    deps: Pick<ServiceDeps, 'launcherFor' | 'clientVersion' | 'timing'>,
    decide: HostKeyDecision,
    onView: (v: NodeView) => void,
    membership: ClusterMembership | undefined,
  ) {
    if (config.source === 'embedded') {
      this.byId.set(1, new NodeSession(1, hostname(), deps.launcherFor('local', decide), deps.clientVersion, onView, deps.timing));
    } else {
      for (const node of config.nodes) {
        const launcher = deps.launcherFor(node, decide);
        this.byId.set(node.id, new NodeSession(node.id, node.host, launcher, deps.clientVersion, onView, deps.timing, membership?.setupFor(node.id)));
      }
    }
  }

  all(): NodeSession[] {
    return [...this.byId.values()];
  }

  find(nodeId: NodeId): NodeSession | undefined {
    return this.byId.get(nodeId);
  }

  /** The node's session; a node not in the cluster is the caller's mistake, named with the nodes there are. */
  get(nodeId: NodeId): NodeSession {
    const s = this.byId.get(nodeId);
    if (!s) throw new RpcError('ENONODE', `there is no node ${nodeId} in this cluster (nodes: ${[...this.byId.keys()].join(', ')})`);
    return s;
  }
}
