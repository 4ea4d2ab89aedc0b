/**
 * The hook through which the balancing core (agent-to-agent load exchange) will give
 * the collector its view of every node. Until a provider is registered, the daemon's
 * history feature knows only this node and what a connected GUI pushes.
 */
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';

export type ClusterViewProvider = () => ClusterViewNode[];

let provider: ClusterViewProvider | undefined;

export function registerClusterViewProvider(p: ClusterViewProvider | undefined): void {
  provider = p;
}

export function clusterViewProvider(): ClusterViewProvider | undefined {
  return provider;
}
