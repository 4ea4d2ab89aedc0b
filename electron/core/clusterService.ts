/**
 * The main process's one API (shared/protocol/api.ts), the same whether the renderer
 * reaches it over Electron IPC or the headless WebSocket.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { RpcError } from '../../shared/protocol/rpc.js';
import {
  API_CHANNELS,
  type ApiEvents,
  type ApiRequests,
  type ClusterSnapshot,
  type CoreApiRequests,
  type HostKeyPrompt,
} from '../../shared/protocol/api.js';
import type { NodeView } from '../../shared/domain/node.js';
import { MAX_SPEED, MIN_SPEED } from '../../shared/domain/node.js';
import type { ClusterConfig, NodeTarget } from './profile.js';
import type { AgentLauncher } from './agentChannel.js';
import { NodeSession, type SessionTiming } from './nodeSession.js';
import { nodeIdParam, intParam } from './params.js';
import { composeHandlers } from '../../shared/rpc/composeHandlers.js';
import type { ClusterKeyStore } from './clusterKeyFile.js';
import { ClusterMembership, type MembershipTiming } from './clusterMembership.js';

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
}


interface OpenPrompt {
  prompt: HostKeyPrompt;
  waiters: ((accept: boolean) => void)[];
}

export class ClusterService {
  private readonly sessions = new Map<number, NodeSession>();
  private readonly prompts = new Map<string, OpenPrompt>();
  /** Nodes whose host key the admin rejected: they wait for "Ask again" (hostKey.askAgain). */
  private readonly rejected = new Set<number>();
  private readonly listeners = new Set<Emit>();
  private readonly handlers: ApiHandlers;
  readonly membership: ClusterMembership | undefined;

  constructor(
    readonly config: ClusterConfig,
    private readonly deps: ServiceDeps,
  ) {
    const membership = config.source === 'profile' && deps.keys
      ? new ClusterMembership(config.nodes, deps.keys, (s) => this.emit('clusterKey.state', s), deps.membershipTiming)
      : undefined;
    this.membership = membership;
    const emitView = (v: NodeView) => {
      this.emit('node.view', this.withHostKeyMark(v));
      membership?.noteView(v);
    };
    if (config.source === 'embedded') {
      const s = new NodeSession(1, hostname(), deps.launcherFor('local', this.decider()), deps.clientVersion, emitView, deps.timing);
      this.sessions.set(1, s);
    } else {
      for (const node of config.nodes) {
        const launcher = deps.launcherFor(node, this.decider());
        this.sessions.set(node.id, new NodeSession(node.id, node.host, launcher, deps.clientVersion, emitView, deps.timing, membership?.setupFor(node.id)));
      }
    }
    membership?.bind([...this.sessions.values()]);
    const ctx: ServiceContext = {
      config,
      membership,
      session: (id) => this.session(id),
      sessions: () => [...this.sessions.values()],
      emit: (event, data) => this.emit(event, data),
    };
    // One owner per request name: a feature that served a core request or another feature's
    // would otherwise replace it silently.
    this.handlers = composeHandlers<Partial<ApiHandlers>>([
      { by: 'the core', handlers: this.coreHandlers() },
      ...(deps.features ?? []).map((f, i) => ({ by: `API feature ${f.name || i + 1}`, handlers: f(ctx) })),
    ]) as ApiHandlers;
  }

  start(): void {
    this.membership?.start();
    for (const s of this.sessions.values()) {
      s.start();
      void this.resolveAddress(s);
    }
  }

  stop(): void {
    this.membership?.stop();
    for (const s of this.sessions.values()) s.stop();
    for (const p of this.prompts.values()) p.waiters.forEach((w) => w(false));
    this.prompts.clear();
  }

  /** Subscribes to every API event; returns the unsubscribe function. */
  subscribe(emit: Emit): () => void {
    this.listeners.add(emit);
    return () => this.listeners.delete(emit);
  }

  /** Dispatches one request from an untrusted caller: checks the channel, then the handler checks params. */
  async dispatch(channel: unknown, req: unknown): Promise<unknown> {
    if (typeof channel !== 'string' || !(API_CHANNELS as string[]).includes(channel)) {
      throw new RpcError('ENOCHANNEL', `unknown API request ${JSON.stringify(channel)}`);
    }
    const handler = this.handlers[channel as keyof ApiRequests] as ((r: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new RpcError('ENOCHANNEL', `API request "${channel}" is not served by this build`);
    return handler(req ?? null);
  }

  snapshot(): ClusterSnapshot {
    return {
      name: this.config.name,
      source: this.config.source,
      nodes: [...this.sessions.values()].map((s) => this.withHostKeyMark(s.view)),
      hostKeyPrompts: [...this.prompts.values()].map((p) => p.prompt),
    };
  }

  /** A node the admin said no about is marked while it is not up; once up (key added by hand, say) the mark is gone. */
  private withHostKeyMark(v: NodeView): NodeView {
    if (v.status === 'up') this.rejected.delete(v.id);
    return this.rejected.has(v.id) ? { ...v, hostKeyRejected: true } : v;
  }

  private emitNode(id: number): void {
    const s = this.sessions.get(id);
    if (s) this.emit('node.view', this.withHostKeyMark(s.view));
  }

  private emit: Emit = (event, data) => {
    for (const l of this.listeners) l(event, data);
  };

  private session(nodeId: number): NodeSession {
    const s = this.sessions.get(nodeId);
    if (!s) throw new RpcError('ENONODE', `there is no node ${nodeId} in this cluster (nodes: ${[...this.sessions.keys()].join(', ')})`);
    return s;
  }

  private coreHandlers(): Pick<ApiHandlers, keyof CoreApiRequests> {
    return {
    'cluster.get': async () => this.snapshot(),
    'cluster.refresh': async () => {
      await Promise.all(
        [...this.sessions.values()].map(async (s) => {
          if (s.view.status !== 'up') return s.kick();
          const sample = await s.request('sample', null).catch(() => undefined);
          if (sample) s.update({ sample });
        }),
      );
      return this.snapshot();
    },
    'node.setSpeed': async (req) => {
      const s = this.session(nodeIdParam(req));
      const speed = intParam(req, 'speed', MIN_SPEED, MAX_SPEED);
      return s.request('setSpeed', { speed });
    },
    'node.procs': async (req) => this.session(nodeIdParam(req)).request('procs', null),
    'hostKey.answer': async (req) => {
      const r = req as { promptId?: unknown; accept?: unknown } | null;
      const open = typeof r?.promptId === 'string' ? this.prompts.get(r.promptId) : undefined;
      if (!open) throw new RpcError('ENOPROMPT', 'that host key question was already answered or has expired');
      this.prompts.delete(open.prompt.promptId);
      open.waiters.forEach((w) => w(r?.accept === true));
      this.emit('hostKey.resolved', { promptId: open.prompt.promptId });
      if (r?.accept === true) {
        this.rejected.delete(open.prompt.nodeId);
        this.sessions.get(open.prompt.nodeId)?.kick();
      } else {
        this.rejected.add(open.prompt.nodeId);
      }
      this.emitNode(open.prompt.nodeId);
      return null;
    },
    'hostKey.askAgain': async (req) => {
      const s = this.session(nodeIdParam(req));
      this.rejected.delete(s.id);
      this.emitNode(s.id);
      // Reconnecting meets the unknown key again, and so asks; a changed key is refused as ever, never asked about.
      s.kick();
      return null;
    },
    };
  }

  /** One open question per node and key: a reconnect while the admin thinks joins it. */
  private decider(): HostKeyDecision {
    return (info) =>
      new Promise<boolean>((resolve) => {
        for (const open of this.prompts.values()) {
          if (open.prompt.nodeId === info.nodeId && open.prompt.fingerprint === info.fingerprint) {
            open.waiters.push(resolve);
            return;
          }
        }
        const prompt: HostKeyPrompt = { ...info, promptId: randomUUID() };
        this.prompts.set(prompt.promptId, { prompt, waiters: [resolve] });
        this.emit('hostKey.prompt', prompt);
      });
  }

  private async resolveAddress(s: NodeSession): Promise<void> {
    const host = s.view.host;
    if (isIP(host)) return s.update({ address: host });
    try {
      s.update({ address: (await lookup(host)).address });
    } catch {
      /* the row shows the name only; connection errors explain the rest */
    }
  }
}
