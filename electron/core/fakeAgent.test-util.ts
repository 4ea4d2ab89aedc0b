/** Test doubles for the main process's side of an agent channel: a fake agent and launcher. */
import { PassThrough } from 'node:stream';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import { AGENT_PROTOCOL_VERSION, ATTACH_EXIT_STOPPED, type AgentEvents, type AgentHello, type AgentRequests } from '../../shared/protocol/agent.js';
import type { NodeSample } from '../../shared/domain/node.js';
import type { AgentChannel, AgentLauncher, AttachMode } from './agentChannel.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function sampleOf(t: number, host = 'n3'): NodeSample {
  return {
    t,
    hostname: host,
    cpus: 4,
    demand: 1,
    load: 1,
    util: 25,
    mem: { totalKb: 8_000_000, freeKb: 4_000_000, availableKb: 6_000_000 },
    speed: 10000,
    procCount: 100,
  };
}

export interface FakeAgentOptions {
  hello?: Partial<AgentHello>;
  /** Instead of answering, print this (e.g. a login banner) on the first input. */
  garbage?: string;
  /** More requests the agent serves (e.g. cluster.info). */
  handlers?: Partial<{ [K in keyof AgentRequests]: (p: AgentRequests[K]['req']) => AgentRequests[K]['res'] | Promise<AgentRequests[K]['res']> }>;
}

/** The other end of a channel: an RpcEndpoint serving the agent protocol over PassThroughs. */
export class FakeAgent {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly requests: string[] = [];
  closed = false;
  /** While true, a subscribed agent emits a sample every `tickMs`. */
  sending = true;
  private timer: ReturnType<typeof setInterval> | undefined;
  private exitCbs: ((code: number | null, signal: string | null) => void)[] = [];
  private t = 1000;
  private readonly ep: RpcEndpoint<Record<never, never>, AgentEvents, AgentRequests>;

  constructor(private readonly opts: FakeAgentOptions = {}, private readonly tickMs = 40) {
    this.ep = new RpcEndpoint<Record<never, never>, AgentEvents, AgentRequests>((line) => {
      if (!this.closed) this.stdout.write(line);
    }, {
      hello: () => {
        this.requests.push('hello');
        return {
          version: '0.1.0+deadbeef',
          protocol: AGENT_PROTOCOL_VERSION,
          hostname: 'n3',
          pid: 4242,
          stateDir: '/tmp/x',
          node: '20.0.0',
          ...opts.hello,
        };
      },
      sample: () => {
        this.requests.push('sample');
        return sampleOf(this.t++);
      },
      subscribe: ({ intervalMs }) => {
        this.requests.push(`subscribe ${intervalMs}`);
        clearInterval(this.timer);
        if (intervalMs > 0) this.timer = setInterval(() => this.sendSample(), this.tickMs);
        return null;
      },
      setSpeed: ({ speed }) => ({ speed }),
      ...(opts.handlers as object),
    });
    this.stdin.on('data', (d: Buffer) => {
      if (this.opts.garbage !== undefined) {
        this.stdout.write(this.opts.garbage);
        return;
      }
      this.ep.receive(d);
    });
  }

  sendSample(): void {
    if (this.sending && !this.closed) this.ep.emit('sample', sampleOf(this.t++));
  }

  /** The process ends, after printing `stderr`. */
  async exit(code: number | null, signal: string | null = null, stderr = ''): Promise<void> {
    if (stderr) this.stderr.write(stderr);
    await sleep(10);
    this.shutdown();
    this.exitCbs.forEach((cb) => cb(code, signal));
  }

  shutdown(): void {
    clearInterval(this.timer);
    this.closed = true;
  }

  channel(): AgentChannel {
    return {
      stdin: this.stdin,
      stdout: this.stdout,
      stderr: this.stderr,
      close: () => this.shutdown(),
      onExit: (cb) => this.exitCbs.push(cb),
    };
  }
}

export type OpenStep = (signal: AbortSignal) => Promise<AgentChannel>;

/** What the node's attach prints when the admin stopped the agent (agent/daemon/adminStop.ts). */
export const STOPPED_LINE = 'agent stopped by the admin (Stop agent in Mosixview from 10.0.0.9, 2024-05-01T10:00:00.000Z): it stays stopped until "Start agent" in Mosixview';

/**
 * A launcher whose n-th open follows the n-th step (the last step repeats). "stop" and
 * "start" opens act as the node's attach does: --stop ends the running agent and keeps
 * later attaches from starting one (they exit ATTACH_EXIT_STOPPED) until --start.
 */
export class FakeLauncher implements AgentLauncher {
  opens = 0;
  readonly modes: AttachMode[] = [];
  stoppedByAdmin = false;
  readonly agents: FakeAgent[] = [];
  constructor(private readonly steps: (OpenStep | FakeAgentOptions)[] = [{}]) {}
  open(signal: AbortSignal, mode: AttachMode = 'attach'): Promise<AgentChannel> {
    this.modes.push(mode);
    if (mode === 'stop') {
      this.stoppedByAdmin = true;
      for (const a of this.agents) if (!a.closed) void a.exit(3, null, 'mosixview-agent: the agent daemon closed the connection (stopped or crashed); see its log\n');
      const done = new FakeAgent({ garbage: '' });
      setTimeout(() => void done.exit(0), 5);
      return Promise.resolve(done.channel());
    }
    if (mode === 'start') this.stoppedByAdmin = false;
    if (this.stoppedByAdmin) {
      const held = new FakeAgent({ garbage: '' });
      setTimeout(() => void held.exit(ATTACH_EXIT_STOPPED, null, `mosixview-agent: ${STOPPED_LINE}\n`), 5);
      return Promise.resolve(held.channel());
    }
    const step = this.steps[Math.min(this.opens, this.steps.length - 1)]!;
    this.opens++;
    if (typeof step === 'function') return step(signal);
    const agent = new FakeAgent(step);
    this.agents.push(agent);
    return Promise.resolve(agent.channel());
  }
  get last(): FakeAgent {
    return this.agents[this.agents.length - 1]!;
  }
}

/** Session timing short enough for unit tests. */
export const TEST_TIMING = { silenceMs: 300, backoffStartMs: 50, backoffMaxMs: 200 };

/** Polls `probe` every 10 ms until it gives something, or fails naming `what`. */
export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(10);
  }
}
