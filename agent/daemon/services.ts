/**
 * Services one daemon feature offers the others (the balancer uses the migrate feature's
 * migrations; the collector reads the balancer's cluster view). Slots are filled when the
 * feature is built; a missing slot means the feature is not there, and callers cope.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { ViewNode } from '../../shared/balancing/infod.js';
import type { JobCandidate } from '../../shared/balancing/decide.js';
import type { NodeFlags } from '../../shared/balancing/types.js';

export interface ClusterViewService {
  /** Every node this node knows of, itself first, from the load exchange. */
  view(): ViewNode[];
  /** The same, with each node's figures as it reported them (no jobs in flight added). */
  reported(): ViewNode[];
}

export interface MigrationService {
  /** This node's jobs as the balancer sees them (load, mode, lock, why not movable). */
  candidates(): JobCandidate[];
  /** This node's own jobs now running on other nodes (what bring calls home). */
  away(): number;
  /** Moves a job; resolves when it runs on `to`, rejects with why (it then still runs here). */
  migrate(jobKey: string, to: NodeId, reason: 'load' | 'memory' | 'admin'): Promise<void>;
}

export interface ControlsService {
  /** The node's mosctl flags now (block: guests refused; stay, lstay, quiet). */
  flags(): NodeFlags;
}

export interface DaemonServices {
  clusterView?: ClusterViewService;
  migration?: MigrationService;
  controls?: ControlsService;
}
