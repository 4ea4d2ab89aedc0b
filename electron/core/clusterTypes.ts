/**
 * The types the main process's API features and launchers share with the cluster service,
 * in their own module so that a feature depends on these, not on the service's wiring.
 */
import type { ApiEvents, ApiRequests, HostKeyPrompt } from '../../shared/protocol/api.js';
import type { ClusterConfig, NodeTarget } from './profile.js';
import type { AgentLauncher } from './agentChannel.js';
import type { NodeSession, SessionTiming } from './nodeSession.js';
import type { ClusterKeyStore } from './clusterKeyFile.js';
import type { ClusterMembership, MembershipTiming } from './clusterMembership.js';
import type { SaveDialog } from '../history/exportFile.js';

export type Emit = <E extends keyof ApiEvents>(event: E, data: ApiEvents[E]) => void;
export type ApiHandlers = { [C in keyof ApiRequests]: (req: ApiRequests[C]['req']) => Promise<ApiRequests[C]['res']> };

/** What a feature's API handlers may use (electron/core/apiFeatures.ts lists the features). */
export interface ServiceContext {
  config: ClusterConfig;
  /** The cluster key and map on the nodes (profile clusters with a key file). */
  membership?: ClusterMembership;
  session(nodeId: number): NodeSession;
  sessions(): NodeSession[];
  emit: Emit;
  /** The desktop app's save dialog; absent in the headless mode (a browser downloads instead). */
  saveDialog?: SaveDialog;
}
export type ApiFeature = (ctx: ServiceContext) => Partial<ApiHandlers>;
export type HostKeyDecision = (prompt: Omit<HostKeyPrompt, 'promptId'>) => Promise<boolean>;

export interface ServiceDeps {
  /** Builds the launcher of one node; `decide` asks the admin about an unknown host key. */
  launcherFor(node: NodeTarget | 'local', decide: HostKeyDecision): AgentLauncher;
  clientVersion: string;
  timing?: SessionTiming;
  features?: ApiFeature[];
  /** The profile's cluster key file: its key goes on every node of a profile cluster, with the map and the node's ID. */
  keys?: ClusterKeyStore;
  membershipTiming?: MembershipTiming;
  /** How long node views gather before they go out as one event (viewBatch.ts; tests shorten it). */
  viewTickMs?: number;
  saveDialog?: SaveDialog;
}

/** What the front doors (Electron IPC, the headless WebSocket) need of the cluster service. */
export interface ApiService {
  start(): void;
  stop(): void;
  /** Subscribes to every API event; returns the unsubscribe function. */
  subscribe(emit: Emit): () => void;
  /** Dispatches one request from an untrusted caller. */
  dispatch(channel: unknown, req: unknown): Promise<unknown>;
}
