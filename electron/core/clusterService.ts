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
import { formatHpcMap } from '../../shared/hpcMap.js';
import { keyId } from '../../shared/clusterKey.js';
import { composeHandlers } from '../../shared/rpc/composeHandlers.js';
import type { AgentEndpoint } from './nodeSession.js';

/**
 * Makes sure the node's agent has this cluster's key, map and its own ID (touching nothing
 * if so). Returns a warning when the node is monitored but cannot talk to its peers.
 */
export function membershipSetup(nodeId: number, mapText: string, key: Buffer) {
  return async (ep: AgentEndpoint): Promise<string | undefined> => {
    let info = await ep.request('cluster.info', null);
    if (!(info.keyId === keyId(key) && info.nodeId === nodeId && formatHpcMap(info.map) === mapText && info.listening)) {
      info = await ep.request('cluster.configure', { keyHex: key.toString('hex'), mapText, nodeId });
    }
    return info.listening ? undefined : `no load exchange or migration with other nodes: ${info.problem ?? 'peer channel not running'}`;
  };
}

export type Emit = <E extends keyof ApiEvents>(event: E, data: ApiEvents[E]) => void;
export type ApiHandlers = { [C in keyof ApiRequests]: (req: ApiRequests[C]['req']) => Promise<ApiRequests[C]['res']> };

/** What a feature's API handlers may use (electron/core/apiFeatures.ts lists the features). */
export interface ServiceContext {
  config: ClusterConfig;
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
  /** Installed on every node of a profile cluster, with the map and the node's ID. */
  clusterKey?: Buffer;
}


interface OpenPrompt {
  prompt: HostKeyPrompt;
  waiters: ((accept: boolean) => void)[];
}

export class ClusterService {
  private readonly sessions = new Map<number, NodeSession>();
  private readonly prompts = new Map<string, OpenPrompt>();
  private readonly listeners = new Set<Emit>();
  private readonly handlers: ApiHandlers;

  constructor(
    readonly config: ClusterConfig,
    private readonly deps: ServiceDeps,
  ) {
    const emitView = (v: NodeView) => this.emit('node.view', v);
    if (config.source === 'embedded') {
      const s = new NodeSession(1, hostname(), deps.launcherFor('local', this.decider()), deps.clientVersion, emitView, deps.timing);
      this.sessions.set(1, s);
    } else {
      for (const node of config.nodes) {
        const launcher = deps.launcherFor(node, this.decider());
        const setup = deps.clusterKey ? membershipSetup(node.id, formatHpcMap(config.nodes), deps.clusterKey) : undefined;
        this.sessions.set(node.id, new NodeSession(node.id, node.host, launcher, deps.clientVersion, emitView, deps.timing, setup));
      }
    }
    const ctx: ServiceContext = {
      config,
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
    for (const s of this.sessions.values()) {
      s.start();
      void this.resolveAddress(s);
    }
  }

  stop(): void {
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
      nodes: [...this.sessions.values()].map((s) => s.view),
      hostKeyPrompts: [...this.prompts.values()].map((p) => p.prompt),
    };
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
      if (r?.accept === true) this.sessions.get(open.prompt.nodeId)?.kick();
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
