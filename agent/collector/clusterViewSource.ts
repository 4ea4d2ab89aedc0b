/**
 * Where the collector gets the cluster from: its node's agent daemon, which merges its
 * own sample, the GUI's pushed view and (once it exists) the balancing core's view.
 * Nodes cannot reach each other's unix sockets, so the daemon is the one way in.
 */
import type { Socket } from 'node:net';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { AgentEvents, AgentRequests } from '../../shared/protocol/agent.js';
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';
import type { NodeProcs } from '../../shared/history/types.js';
import { hostname } from 'node:os';
import { PEER_PROCS_TIMEOUT_MS, toHistoryProc } from '../history/clusterProcs.js';
import type { AlertEvent } from '../../shared/alerts/alertEvents.js';
import { spawnDaemon, tryConnect, waitForSocket } from '../daemon/daemonSocket.js';
import type { StatePaths } from '../stateDir.js';
import { AGENT_VERSION } from '../version.js';

export interface ClusterViewSource {
  nodes(): Promise<ClusterViewNode[]>;
  /** The process list of every node of the view, or why a node's is missing. */
  procs(): Promise<NodeProcs[]>;
  /** Events the agent saw since the last call (failed migrations, refused datagrams), for the alert rules. */
  alertEvents?(): Promise<AlertEvent[]>;
  /** Tells the agent alerts were raised or cleared, so its GUI sessions hear of it at once. */
  reportAlerts?(c: { raised: number; cleared: number }): void;
  close(): void;
}

type Client = RpcEndpoint<AgentRequests, Record<never, never>, Record<never, never>, AgentEvents>;

export class DaemonViewSource implements ClusterViewSource {
  private client: { ep: Client; sock: Socket } | undefined;
  private lastSpawn = 0;
  /** An older daemon without the history requests: record this node alone from its samples. */
  private plainDaemon = false;
  /** The last event read; undefined until the first read, which only learns where the agent's events stand (old ones are not news). */
  private eventsSeen: number | undefined;
  /** The last cluster view: an older daemon's own process list is recorded under this node's ID in it. */
  private lastView: ClusterViewNode[] = [];

  constructor(
    private readonly paths: StatePaths,
    private readonly bundle: string,
    private readonly log: (s: string) => void,
  ) {}

  async nodes(): Promise<ClusterViewNode[]> {
    const ep = await this.connect();
    if (!this.plainDaemon) {
      try {
        return (this.lastView = (await ep.request('history.clusterView', null, 900)).nodes);
      } catch (e) {
        if (!(e instanceof RpcError && e.code === 'ENOMETHOD')) throw this.drop(e);
        this.plainDaemon = true;
      }
    }
    const s = await ep.request('sample', null, 900).catch((e) => Promise.reject(this.drop(e)));
    return [{ id: 0, host: s.hostname, status: 'up', sample: s }];
  }

  async procs(): Promise<NodeProcs[]> {
    const ep = await this.connect();
    try {
      // The agent asks every node at once, each with its deadline: its answer comes within that and a margin.
      return (await ep.request('history.clusterProcs', null, PEER_PROCS_TIMEOUT_MS + 6000)).nodes;
    } catch (e) {
      if (!(e instanceof RpcError && e.code === 'ENOMETHOD')) throw this.drop(e);
    }
    // An older daemon: this node's own list, under its ID in the view (0 outside a cluster, as its samples).
    const own = await ep.request('procs', null, 5000).catch((e) => Promise.reject(this.drop(e)));
    const host = hostname();
    const id = this.lastView.find((n) => n.host === host)?.id ?? 0;
    return [{ id, host, procs: own.map(toHistoryProc) }];
  }

  async alertEvents(): Promise<AlertEvent[]> {
    const ep = await this.connect();
    if (this.plainDaemon) return [];
    const { events, next } = await ep.request('alerts.inputs', { since: this.eventsSeen ?? 0 }, 900).catch((e) => {
      // An agent without the alerts feature: no events, but the view's rules still apply.
      if (e instanceof RpcError && e.code === 'ENOMETHOD') return { events: [], next: 0 };
      return Promise.reject(this.drop(e));
    });
    const fresh = this.eventsSeen === undefined ? [] : events;
    this.eventsSeen = next;
    return fresh;
  }

  reportAlerts(c: { raised: number; cleared: number }): void {
    this.client?.ep.request('alerts.report', c, 900).catch(() => undefined);
  }

  close(): void {
    this.client?.sock.destroy();
    this.client = undefined;
  }

  private drop(e: unknown): unknown {
    this.close();
    return e;
  }

  private async connect(): Promise<Client> {
    if (this.client && !this.client.ep.closed) return this.client.ep;
    let sock = await tryConnect(this.paths.socket);
    if (!sock && Date.now() - this.lastSpawn > 10_000) {
      // The collector outlives GUI sessions; with no daemon it starts one as `attach` would.
      this.lastSpawn = Date.now();
      this.log(`no agent daemon at ${this.paths.socket}: starting one`);
      spawnDaemon(this.paths, this.bundle);
      sock = await waitForSocket(this.paths, 8000);
    }
    if (!sock) throw new Error(`the agent daemon is not running (${this.paths.socket})`);
    const ep: Client = new RpcEndpoint((l) => sock.write(l), {}, { onProtocolError: () => sock.destroy() });
    sock.on('data', (d) => ep.receive(d));
    sock.on('close', () => ep.close('the agent daemon closed the connection'));
    sock.on('error', () => sock.destroy());
    this.client = { ep, sock };
    this.plainDaemon = false;
    await ep.request('hello', { client: 'cli', version: AGENT_VERSION }, 3000).catch((e) => Promise.reject(this.drop(e)));
    return ep;
  }
}
