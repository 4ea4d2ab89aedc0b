/** The CLI tools' way to this node's agent daemon (its unix socket). */
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentEvents, AgentRequests } from '../../shared/protocol/agent.js';
import { clientStatePaths } from '../stateDir.js';
import { proveIdentity } from '../daemon/proveIdentity.js';
import { tryConnect } from '../daemon/daemonSocket.js';
import { AGENT_VERSION } from '../version.js';

export type DaemonClient = RpcEndpoint<AgentRequests, Record<never, never>, Record<never, never>, AgentEvents> & { end(): void };

export class CliError extends Error {}

export async function connectDaemon(): Promise<DaemonClient> {
  const paths = clientStatePaths();
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
  // What a tool may do follows who runs it: their own jobs, or all of them as root.
  await proveIdentity(ep).catch((e: Error) => {
    sock.destroy();
    throw new CliError(`the agent could not tell who you are: ${e.message}`);
  });
  return Object.assign(ep, { end: () => sock.end() });
}
