/**
 * One node as the main process sees it: keeps a channel to its agent open, turns the
 * agent's samples into the node's view, notices within seconds when the node or its
 * link is lost, and reconnects by itself with backoff.
 */
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { agentVersionNote, protocolMismatch } from './agentVersionNote.js';
import { AGENT_PROTOCOL_VERSION, ATTACH_EXIT_STOPPED, type AgentEvents, type AgentRequests } from '../../shared/protocol/agent.js';
import type { MembershipView, NodeId, NodeView } from '../../shared/domain/node.js';
import { LaunchError, type AgentChannel, type AgentLauncher } from './agentChannel.js';
import { log } from './log.js';
import { startLine } from './startPhases.js';

/** The row of a node whose agent this GUI stopped (after a restart the node's own record says who and when). */
export const STOPPED_REASON = 'agent stopped by the admin (Stop agent in this Mosixview): it stays stopped until "Start agent"';

export type AgentEndpoint = RpcEndpoint<AgentRequests, Record<never, never>, Record<never, never>, AgentEvents>;

export interface SessionTiming {
  /** No sample for this long: the node counts as lost. Samples come every second. */
  silenceMs: number;
  backoffStartMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_TIMING: SessionTiming = { silenceMs: 3000, backoffStartMs: 1000, backoffMaxMs: 5000 };

export class NodeSession {
  private current: NodeView;
  private endpoint: AgentEndpoint | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private abort = new AbortController();
  /** Listeners for agent events other than samples; re-attached on every reconnect. */
  private readonly eventListeners: [string, (data: unknown) => void][] = [];
  /** Set while the admin stopped the node's agent: no reconnect until startAgent(). */
  private held: string | undefined;
  /** The next open runs `attach --start` (Start agent), until the node is up. */
  private startNext = false;

  constructor(
    readonly id: NodeId,
    host: string,
    private readonly launcher: AgentLauncher,
    private readonly clientVersion: string,
    private readonly onView: (v: NodeView) => void,
    private readonly timing: SessionTiming = DEFAULT_TIMING,
    /** Runs after hello, beside the first sample (installing the cluster key); what it found is shown when it ends. */
    private readonly setup?: (ep: AgentEndpoint) => Promise<MembershipView | undefined>,
  ) {
    this.current = { id, host, status: 'connecting' };
  }

  get view(): NodeView {
    return this.current;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
  }

  /** The admin stopped the agent from Mosixview; its connection may not have ended yet. */
  get isHeld(): boolean {
    return this.held !== undefined;
  }

  /**
   * Stop agent: stops the node's daemon and records the stop on the node, so that neither
   * this session nor a later GUI starts it again; then waits for startAgent().
   */
  async stopAgent(): Promise<void> {
    const before = this.held;
    this.held = STOPPED_REASON;
    try {
      const channel = await this.launcher.open(this.abort.signal, 'stop');
      const { code, tail } = await exitOf(channel);
      if (code !== 0) throw new Error(`stopping the agent of node ${this.id} failed (exit code ${code})${tail ? `: ${tail}` : ''}`);
    } catch (e) {
      this.held = before;
      this.wake?.();
      throw e;
    }
    // A session waiting to retry shows it now; a live one ends as the daemon goes.
    this.wake?.();
  }

  /** Start agent: connects now with `attach --start`, which clears the admin's stop on the node. */
  startAgent(): void {
    this.held = undefined;
    this.startNext = true;
    this.wake?.();
  }

  /**
   * Skips the backoff wait of a node that is down (manual refresh). A node whose agent the
   * admin stopped is looked at once more: a plain attach finds an agent started elsewhere
   * (another GUI's Start agent) and starts none itself.
   */
  kick(): void {
    this.held = undefined;
    this.wake?.();
  }

  onAgentEvent<K extends keyof AgentEvents & string>(event: K, cb: (data: AgentEvents[K]) => void): void {
    this.eventListeners.push([event, cb as (data: unknown) => void]);
  }

  update(patch: Partial<NodeView>): void {
    this.current = { ...this.current, ...patch };
    this.onView(this.current);
  }

  /** A request to this node's agent; fails with a clear message when the node is down. */
  request<K extends keyof AgentRequests & string>(method: K, params: AgentRequests[K]['req'], timeoutMs?: number): Promise<AgentRequests[K]['res']> {
    if (!this.endpoint || this.current.status !== 'up') {
      const why = this.current.reason ? `: ${this.current.reason}` : '';
      return Promise.reject(new RpcError('ENODEDOWN', `node ${this.id} (${this.current.host}) is not connected${why}`));
    }
    return this.endpoint.request(method, params, timeoutMs);
  }

  private async run(): Promise<void> {
    let backoff = this.timing.backoffStartMs;
    while (!this.stopped) {
      if (this.held) {
        this.update({ status: 'down', reason: this.held, sample: undefined });
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      let manual = false;
      try {
        const wasUp = await this.session();
        if (wasUp) backoff = this.timing.backoffStartMs;
      } catch (e) {
        manual = e instanceof LaunchError && e.retry === 'manual';
        if (!this.stopped) {
          log.warn(`node ${this.id} (${this.current.host}): ${(e as Error).message}`);
          this.update({ status: 'down', reason: (e as Error).message, sample: undefined });
        }
      }
      if (this.stopped) break;
      if (this.held) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        if (!manual) setTimeout(resolve, backoff);
      });
      this.wake = undefined;
      backoff = Math.min(backoff * 2, this.timing.backoffMaxMs);
    }
    this.endpoint?.close('stopped');
  }

  /** One connection, from launch to loss. Resolves true if the node was up at some point. */
  private async session(): Promise<boolean> {
    const channel = await this.launcher.open(this.abort.signal, this.startNext ? 'start' : 'attach');
    let stderrTail = '';
    channel.stderr.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString('utf8')).slice(-600);
    });
    let wasUp = false;
    let lastSample = Date.now();
    let finish!: (reason: string) => void;
    const ended = new Promise<string>((resolve) => (finish = resolve));
    // stop() ends a live connection too, not only the retry loop.
    const onAbort = () => finish('stopped');
    this.abort.signal.addEventListener('abort', onAbort, { once: true });

    const ep: AgentEndpoint = new RpcEndpoint((line) => channel.stdin.write(line), {}, {
      onProtocolError: (p) => finish(`the agent sent something that is not Mosixview protocol (${p})`),
    });
    channel.stdout.on('data', (d: Buffer) => ep.receive(d));
    for (const [event, cb] of this.eventListeners) (ep.on as (e: string, f: (d: unknown) => void) => void).call(ep, event, cb);
    channel.stdin.on('error', () => undefined);
    channel.onExit((code, signal) => {
      const tail = stderrTail.trim().split('\n').slice(-2).join(' ').trim();
      if (code === ATTACH_EXIT_STOPPED) {
        // Stopped by the admin (any GUI, or on the node): wait for Start agent instead of retrying.
        const line = stderrTail.trim().split('\n').pop()?.replace(/^mosixview-agent: /, '');
        this.held = line || 'agent stopped by the admin: it stays stopped until "Start agent"';
        return finish(this.held);
      }
      // No status at all: the agent's socket (or the SSH link) closed, with no process to report one.
      const how = signal ? `signal ${signal}` : code !== null ? `exit code ${code}` : 'closed without an exit status';
      finish(`agent connection ended (${how})${tail ? `: ${tail}` : ''}`);
    });
    ep.on('sample', (sample) => {
      if (this.stopped) return;
      lastSample = Date.now();
      this.update({ status: 'up', reason: undefined, sample });
    });
    const watchdog = setInterval(() => {
      if (wasUp && Date.now() - lastSample > this.timing.silenceMs) {
        finish(`no data from the agent for ${Math.round(this.timing.silenceMs / 1000)} s: node down or link cut`);
      }
    }, 250);

    try {
      const startup = (async () => {
        const t0 = performance.now();
        const hello = channel.hello ?? (await ep.request('hello', { client: 'gui', version: this.clientVersion }, 20000));
        if (hello.protocol !== AGENT_PROTOCOL_VERSION) throw new Error(protocolMismatch(hello, AGENT_PROTOCOL_VERSION));
        const t1 = performance.now();
        // The setup (the cluster key and map) may wait for the other nodes, up to the membership's
        // setupWaitMs (15 s): the node is up without it, and shows what it found when it ends, so
        // that one node that does not answer holds no other node's row.
        let up = false;
        let membership: MembershipView | undefined;
        this.setup?.(ep).then(
          (m) => {
            membership = m;
            if (up && m && this.endpoint === ep) this.update(m);
          },
          (e: unknown) => finish(`setting up the cluster key and map failed: ${(e as Error).message}`),
        );
        const sample = await ep.request('sample', null);
        await ep.request('subscribe', { on: true });
        const { attach = 0, route, ...o } = channel.opened ?? { ssh: 0, probe: 0, upload: 0 };
        log.info(startLine(this.id, this.current.host, { ...o, agent: attach + t1 - t0, sample: performance.now() - t1 }, route));
        lastSample = Date.now();
        this.endpoint = ep;
        wasUp = true;
        up = true;
        this.startNext = false;
        this.update({ status: 'up', reason: undefined, sample, agentVersion: hello.version, agentNote: agentVersionNote(hello, this.clientVersion), warning: undefined, isolated: undefined, ownMap: undefined, ...membership });
      })();
      const outcome = await Promise.race([startup.then(() => ended), ended]);
      startup.catch(() => undefined);
      if (!this.stopped) {
        log.warn(`node ${this.id} (${this.current.host}): ${outcome}`);
        this.update({ status: 'down', reason: outcome, sample: undefined });
      }
    } catch (e) {
      const tail = stderrTail.trim().split('\n').slice(-2).join(' ').trim();
      throw new Error(`${(e as Error).message}${tail ? ` (agent said: ${tail})` : ''}`);
    } finally {
      this.abort.signal.removeEventListener('abort', onAbort);
      clearInterval(watchdog);
      this.endpoint = undefined;
      ep.close('connection to the agent ended');
      closeQuietly(channel);
    }
    return wasUp;
  }
}

/** Waits for a channel that does its work and exits (attach --stop); its stdin is closed at once. */
function exitOf(channel: AgentChannel): Promise<{ code: number | null; tail: string }> {
  let err = '';
  channel.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-600)));
  channel.stdout.resume();
  channel.stdin.on('error', () => undefined);
  channel.stdin.end();
  return new Promise((resolve) => channel.onExit((code) => resolve({ code, tail: err.trim().split('\n').slice(-2).join(' ') })));
}

function closeQuietly(channel: AgentChannel): void {
  try {
    channel.close();
  } catch {
    /* already closed */
  }
}
