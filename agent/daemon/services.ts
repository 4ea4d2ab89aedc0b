/**
 * Services one daemon feature offers the others (the migration drives the jobs feature's
 * JobsService; the balancer uses the migrate feature's migrations; the collector reads the
 * balancer's cluster view). A feature declares the services it provides and needs
 * (feature.ts); the daemon fills this one object as it builds them. A service a feature
 * uses without needing it may be missing (its feature is not there), and callers cope.
 */
import type { JobsService } from '../jobs/jobsService.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { ViewNode } from '../../shared/balancing/types.js';
import type { JobCandidate } from '../balance/decide.js';
import type { NodeFlags } from '../../shared/protocol/balanceFlags.js';
import type { MoveOutcome } from '../migrate/orchestrator.js';
import type { MigrationProgress } from '../../shared/jobs/migrationProgress.js';
import type { EventLogMark } from '../../shared/alerts/alertEvents.js';

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

/** Counts how moves started here ended (the metrics feature offers it, the migrate feature tells it). */
export interface MoveTallyService {
  record(o: MoveOutcome): void;
}

/** Takes the events the collector's alert rules count (the alerts feature offers it, the migrate feature tells it). */
export interface AlertEventsService {
  migrationFailed(p: MigrationProgress): void;
  /** Where this node's own events stand: the balancer tells it in the load exchange. */
  mark(): EventLogMark;
}

export interface DaemonServices {
  /** Starts, signals and records jobs on this node (the jobs feature's). */
  jobs?: JobsService;
  clusterView?: ClusterViewService;
  migration?: MigrationService;
  controls?: ControlsService;
  moves?: MoveTallyService;
  alertEvents?: AlertEventsService;
}

export type ServiceName = keyof DaemonServices;
