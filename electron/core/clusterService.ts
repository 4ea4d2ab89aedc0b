/**
 * The main process's one API (shared/protocol/api.ts), the same whether the renderer
 * reaches it over Electron IPC or the headless WebSocket. This module wires the parts:
 * node sessions (nodeSessions.ts), membership (clusterMembership.ts), host-key questions
 * (hostKeyPrompts.ts), the core handlers (coreApi.ts), dispatch (apiDispatch.ts) and the
 * address lookup (nodeAddress.ts); the types features use are in clusterTypes.ts.
 */
import type { ClusterSnapshot } from '../../shared/protocol/api.js';
import type { NodeId, NodeView } from '../../shared/domain/node.js';
import type { ClusterConfig } from './profile.js';
import { ClusterMembership } from './clusterMembership.js';
import type { ApiHandlers, ApiService, Emit, ServiceContext, ServiceDeps } from './clusterTypes.js';
import { NodeSessions } from './nodeSessions.js';
import { HostKeyPrompts } from './hostKeyPrompts.js';
import { coreHandlers } from './coreApi.js';
import { composeApi, dispatchApi } from './apiDispatch.js';
import { resolveAddress } from './nodeAddress.js';
import { tickedViews, type TickedViews } from './viewBatch.js';

export class ClusterService implements ApiService {
  private readonly sessions: NodeSessions;
  private readonly hostKeys: HostKeyPrompts;
  private readonly listeners = new Set<Emit>();
  private readonly handlers: ApiHandlers;
  /** Node views go out together, once per tick (viewBatch.ts). */
  private readonly views: TickedViews;
  readonly membership: ClusterMembership | undefined;

  constructor(
    readonly config: ClusterConfig,
    deps: ServiceDeps,
  ) {
    this.hostKeys = new HostKeyPrompts(this.emit);
    this.views = tickedViews((views) => this.emit('cluster.views', { views }), deps.viewTickMs);
    const membership = config.source === 'profile' && deps.keys
      ? new ClusterMembership(config.nodes, deps.keys, (s) => this.emit('clusterKey.state', s), deps.membershipTiming)
      : undefined;
    this.membership = membership;
    const emitView = (v: NodeView) => {
      this.views.add(this.hostKeys.mark(v));
      membership?.noteView(v);
    };
    this.sessions = new NodeSessions(config, deps, this.hostKeys.decide, emitView, membership);
    membership?.bind(this.sessions.all());
    const ctx: ServiceContext = {
      config,
      membership,
      session: (id) => this.sessions.get(id),
      sessions: () => this.sessions.all(),
      emit: (event, data) => this.emit(event, data),
      ...(deps.saveDialog ? { saveDialog: deps.saveDialog } : {}),
    };
    const core = coreHandlers({
      sessions: this.sessions,
      hostKeys: this.hostKeys,
      snapshot: () => this.snapshot(),
      emitNode: (id) => this.emitNode(id),
    });
    this.handlers = composeApi(core, deps.features ?? [], ctx);
  }

  start(): void {
    this.membership?.start();
    for (const s of this.sessions.all()) {
      s.start();
      void resolveAddress(s);
    }
  }

  stop(): void {
    this.membership?.stop();
    for (const s of this.sessions.all()) s.stop();
    this.hostKeys.stop();
    this.views.stop();
  }

  /** Subscribes to every API event; returns the unsubscribe function. */
  subscribe(emit: Emit): () => void {
    this.listeners.add(emit);
    return () => this.listeners.delete(emit);
  }

  /** Dispatches one request from an untrusted caller: checks the channel, then the handler checks params. */
  dispatch(channel: unknown, req: unknown): Promise<unknown> {
    return dispatchApi(this.handlers, channel, req);
  }

  snapshot(): ClusterSnapshot {
    return {
      name: this.config.name,
      source: this.config.source,
      nodes: this.sessions.all().map((s) => this.hostKeys.mark(s.view)),
      hostKeyPrompts: this.hostKeys.open(),
    };
  }

  private emitNode(id: NodeId): void {
    const s = this.sessions.find(id);
    if (s) this.views.add(this.hostKeys.mark(s.view));
  }

  private readonly emit: Emit = (event, data) => {
    for (const l of this.listeners) l(event, data);
  };
}
