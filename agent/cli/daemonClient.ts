/** The CLI tools' way to this node's agent daemon (its unix socket). */
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentEvents, AgentRequests } from '../../shared/protocol/agent.js';
import { statePaths } from '../stateDir.js';
import { tryConnect } from '../daemon/daemonSocket.js';
import { AGENT_VERSION } from '../version.js';

export type DaemonClient = RpcEndpoint<AgentRequests, Record<never, never>, Record<never, never>, AgentEvents> & { end(): void };

export class CliError extends Error {}

export async function connectDaemon(): Promise<DaemonClient> {
  const paths = statePaths();
  const sock = await tryConnect(paths.socket);
  if (!sock) {
    throw new CliError(
      `the Mosixview agent is not running on this node (no socket at ${paths.socket}): start it with "systemctl start mosixview-agent" or "mosixview-agent daemon &", or open the node in Mosixview`,
    );
  }
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>, Record<never, never>, AgentEvents>((l) => sock.write(l), {}, {
    onProtocolError: (p) => {
      process.stderr.write(`the agent answered with something unexpected: ${p}\n`);
      process.exit(1);
    },
  });
  sock.on('data', (d) => ep.receive(d));
  // A migration or other work in progress is settled by the agent itself once it is back.
  sock.on('close', () => ep.close('the agent on this node stopped before it answered (crashed or restarted); when it is back it settles what it was doing by itself: see mps or mosctl status'));
  await ep.request('hello', { client: 'cli', version: AGENT_VERSION });
  return Object.assign(ep, { end: () => sock.end() });
}
