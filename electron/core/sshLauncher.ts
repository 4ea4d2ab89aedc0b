/**
 * Reaches a node's agent over SSH: connect (host key checked), deploy if needed, start the daemon
 * if none runs, and talk to its socket; `attach` (a relay process) where that cannot be done.
 */
import type { Client } from 'ssh2';
import { connectSsh, SshError } from '../ssh/sshConnect.js';
import { deployAgent, startAgent, type DeployedAgent } from '../ssh/agentDeploy.js';
import { openDaemonSocket } from '../ssh/daemonSocketChannel.js';
import { startDaemon } from '../ssh/daemonStart.js';
import { attachArgs, LaunchError, type AgentChannel, type AgentLauncher, type AttachMode } from './agentChannel.js';
import type { AgentBundle } from './agentBundle.js';
import type { HostKeyDecision } from './clusterTypes.js';
import type { NodeTarget } from './profile.js';
import { log } from './log.js';
import { daemonMemoryKey, type DaemonMemory } from './daemonMemory.js';

export class SshLauncher implements AgentLauncher {
  /** Said once in the log: why this node's agent is reached through a relay although its daemon runs. */
  private toldRelay = false;

  constructor(
    private readonly node: NodeTarget,
    private readonly bundle: AgentBundle,
    private readonly decide: HostKeyDecision,
    /** Where this node's daemon was found last time: tried first, before the probe. */
    private readonly memory?: DaemonMemory,
  ) {}

  private get memoryKey(): string {
    return daemonMemoryKey(this.node);
  }

  async open(signal: AbortSignal, mode: AttachMode = 'attach'): Promise<AgentChannel> {
    let client;
    const t0 = performance.now();
    try {
      client = await connectSsh(this.node, { hostKeyDecision: this.decide, signal });
    } catch (e) {
      // Asking again every few seconds after the admin said no would be nagging: wait for Refresh.
      if (e instanceof SshError && e.kind === 'hostkey-rejected') throw new LaunchError(e.message, 'manual');
      throw e;
    }
    const sshMs = performance.now() - t0;
    try {
      const t1 = performance.now();
      const remembered = mode === 'attach' ? await this.toRememberedSocket(client, signal) : undefined;
      if (remembered) return this.opened(client, remembered, { ssh: sshMs, probe: 0, upload: 0, attach: performance.now() - t1, route: 'socket' });
      const deployed = await deployAgent(client, this.node, this.bundle);
      const t2 = performance.now();
      const direct = mode === 'attach' ? await this.toSocket(client, deployed) : undefined;
      const channel = direct ?? (await startAgent(client, deployed, attachArgs(mode), {}));
      return this.opened(client, channel, { ssh: sshMs, probe: deployed.probeMs, upload: deployed.uploadMs, attach: performance.now() - t2, route: direct ? 'socket' : 'relay' });
    } catch (e) {
      client.end();
      throw e;
    }
  }

  private opened(client: Client, channel: AgentChannel, opened: NonNullable<AgentChannel['opened']>): AgentChannel {
    channel.onExit(() => client.end());
    return {
      ...channel,
      opened,
      close: () => {
        channel.close();
        client.end();
      },
    };
  }

  /**
   * The socket where this node's daemon was last found, when its hello still names this GUI's
   * version and the login's uid still proves itself; undefined (and forgotten) otherwise, to
   * probe as on a first start: a stale memory costs a round trip, never the node.
   */
  private async toRememberedSocket(client: Client, signal: AbortSignal): Promise<AgentChannel | undefined> {
    const daemon = this.memory?.recall(this.memoryKey);
    if (!daemon || daemon.version !== this.bundle.version) return undefined;
    try {
      return await openDaemonSocket(client, daemon, this.bundle.version, 'same version');
    } catch (e) {
      if (signal.aborted) throw e;
      log.info(`node ${this.node.id} (${this.node.host}): the daemon remembered at ${daemon.socket} did not answer as expected (${(e as Error).message}); probing the node`);
      this.memory?.forget(this.memoryKey);
      return undefined;
    }
  }

  /**
   * The daemon's socket, when a daemon of this GUI's version runs, or was started here because
   * none ran (another version goes through `attach`, which replaces it or says why it stays);
   * undefined to relay as before.
   */
  private async toSocket(client: Client, deployed: DeployedAgent): Promise<AgentChannel | undefined> {
    let daemon = deployed.daemon;
    if (!daemon) {
      const started = await startDaemon(client, deployed);
      if ('relay' in started) {
        log.info(`node ${this.node.id} (${this.node.host}): ${started.relay}; leaving the start to attach`);
        return undefined;
      }
      daemon = started.daemon;
    }
    if (daemon.version !== this.bundle.version) return undefined;
    try {
      const channel = await openDaemonSocket(client, daemon, this.bundle.version);
      this.memory?.remember(this.memoryKey, daemon);
      return channel;
    } catch (e) {
      // Asked again on every connection: one round trip, and the daemon may be back by then.
      if (!this.toldRelay) log.info(`node ${this.node.id} (${this.node.host}): ${(e as Error).message}; reaching the agent through a relay process instead`);
      this.toldRelay = true;
      return undefined;
    }
  }
}
