/** Reaches a node's agent over SSH: connect (host key checked), deploy if needed, attach. */
import { connectSsh, SshError } from '../ssh/sshConnect.js';
import { deployAgent, startAgent } from '../ssh/agentDeploy.js';
import { attachArgs, LaunchError, type AgentChannel, type AgentLauncher, type AttachMode } from './agentChannel.js';
import type { AgentBundle } from './agentBundle.js';
import type { HostKeyDecision } from './clusterTypes.js';
import type { NodeTarget } from './profile.js';

export class SshLauncher implements AgentLauncher {
  constructor(
    private readonly node: NodeTarget,
    private readonly bundle: AgentBundle,
    private readonly decide: HostKeyDecision,
  ) {}

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
      const deployed = await deployAgent(client, this.node, this.bundle);
      const channel = await startAgent(client, deployed, attachArgs(mode), {});
      channel.onExit(() => client.end());
      return {
        ...channel,
        opened: { ssh: sshMs, probe: deployed.probeMs, upload: deployed.uploadMs },
        close: () => {
          channel.close();
          client.end();
        },
      };
    } catch (e) {
      client.end();
      throw e;
    }
  }
}
