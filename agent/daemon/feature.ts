/**
 * A daemon feature (jobs and migration, the balancing core, the collector) plugs into
 * the daemon through this interface, so each lives in its own directory. A feature says
 * what it serves (requests, peer requests), what services it provides the others and which it needs;
 * the daemon (agentDaemon.ts, buildFeatures.ts) builds the features in that order and
 * hands each the one services object.
 */
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentEvents, AgentRequests } from '../../shared/protocol/agent.js';
import type { PeerRequests, TransferHeader } from '../../shared/protocol/peer.js';
import type { NodeSample } from '../../shared/domain/node.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import type { StatePaths } from '../stateDir.js';
import type { PeerService } from '../peer/peerService.js';
import type { PagesHandler } from '../peer/pageLink.js';
import type { DaemonServices, ServiceName } from './services.js';

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
  /** Sends an event to every client that subscribed (the GUI sessions). */
  broadcast<K extends keyof AgentEvents & string>(event: K, data: AgentEvents[K]): void;
}

/** What a built feature does; the daemon calls each hook in feature order. */
export interface FeatureParts {
  /** The requests this feature serves; a name another feature (or the daemon) serves too stops the daemon at start-up. */
  handlers?: Handlers<AgentRequests>;
  /** The peer requests this feature serves to other agents; the daemon registers them under the feature's name, and a name served twice stops it at start-up. */
  peerHandlers?: Handlers<PeerRequests>;
  /** Where the files of an incoming bulk transfer go (one feature at most declares it; else under the state directory's incoming/). */
  transferDir?(h: TransferHeader): string;
  /** Where incoming page channels (CRIU's memory pages of a migration) go (one feature at most declares it; else they are refused). */
  pagesHandler?: PagesHandler;
  /** The services this feature declared it provides (FeatureFactory.provides), now built. */
  services?: Partial<DaemonServices>;
  start?(): Promise<void> | void;
  /** Runs after every sample (once a second). */
  onSample?(snapshot: Snapshot): void;
  /** Annotates the process list: jobs, guests, why a process cannot move. */
  annotateProcs?(procs: ProcInfo[]): ProcInfo[];
  stop?(): Promise<void> | void;
}

export interface AgentFeature extends FeatureParts {
  name: string;
}

type Provided<K extends ServiceName> = { [S in K]: NonNullable<DaemonServices[S]> };

/** What the build of a feature that provides the services P returns. */
export type PartsProviding<P extends ServiceName> = FeatureParts & { services: Provided<P> };

/**
 * The services a feature is built with: those it needs are there (their providers were
 * built first); any other is read when used and may be missing (no feature provides it in
 * this daemon), since some features use each other (the balancer moves jobs through the
 * migration service, the migration asks the balancer's cluster view for the best node).
 */
export type ServicesFor<N extends ServiceName> = Readonly<DaemonServices> & Readonly<Provided<N>>;

/** A feature as the daemon sees it before building it: its name and the services it provides and needs. */
export interface FeatureFactory {
  name: string;
  provides: readonly ServiceName[];
  needs: readonly ServiceName[];
  build(ctx: DaemonContext, services: Readonly<DaemonServices>): FeatureParts;
}

/** Declares a feature; the type system holds its build to what it says it provides and lets it use what it needs. */
export function defineFeature<P extends ServiceName = never, N extends ServiceName = never>(def: {
  name: string;
  provides?: readonly P[];
  needs?: readonly N[];
  build: (ctx: DaemonContext, services: NoInfer<ServicesFor<N>>) => NoInfer<[P] extends [never] ? FeatureParts : PartsProviding<P>>;
}): FeatureFactory {
  return {
    name: def.name,
    provides: def.provides ?? [],
    needs: def.needs ?? [],
    build: (ctx, services) => def.build(ctx, services as ServicesFor<N>),
  };
}
