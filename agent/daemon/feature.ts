/**
 * A daemon feature (jobs and migration, the balancing core, the collector) plugs into
 * the daemon through this interface, so each lives in its own directory.
 */
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentEvents, AgentRequests } from '../../shared/protocol/agent.js';
import type { NodeSample } from '../../shared/domain/node.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import type { StatePaths } from '../stateDir.js';
import type { PeerService } from '../peer/peerService.js';
import type { DaemonServices } from './services.js';

export interface Snapshot {
  sample: NodeSample;
  procs: ProcInfo[];
}

export interface DaemonContext {
  paths: StatePaths;
  /** The bundle this daemon runs from (to start helpers such as the collector). */
  bundle: string;
  latest(): Snapshot | undefined;
  speed(): number;
  /** The cluster membership: peer channel to other agents and the load exchange. */
  peers: PeerService;
  /** What features offer each other; see services.ts. */
  services: DaemonServices;
  /** Sends an event to every client that subscribed (the GUI sessions). */
  broadcast<K extends keyof AgentEvents & string>(event: K, data: AgentEvents[K]): void;
}

export interface AgentFeature {
  name: string;
  /** The requests this feature serves; a name another feature (or the daemon) serves too stops the daemon at start-up. */
  handlers?: Handlers<AgentRequests>;
  start?(): Promise<void> | void;
  /** Runs after every sample (once a second). */
  onSample?(snapshot: Snapshot): void;
  /** Annotates the process list: jobs, guests, why a process cannot move. */
  annotateProcs?(procs: ProcInfo[]): ProcInfo[];
  stop?(): Promise<void> | void;
}

export type FeatureFactory = (ctx: DaemonContext) => AgentFeature;
