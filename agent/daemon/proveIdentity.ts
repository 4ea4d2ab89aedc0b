/** The client's half of the identity challenge (shared/rpc/callerProof.ts), for a process on the node itself. */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests, CallerInfo } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { proveCaller, type ChallengeAsker } from '../../shared/rpc/callerProof.js';

export function proveIdentity(ep: ChallengeAsker, uid = process.getuid?.() ?? 0): Promise<CallerInfo> {
  return proveCaller(ep, uid, (file) => readFileSync(file, 'utf8'));
}

/**
 * Proves who we are on a socket that is then relayed byte for byte (attach): the two
 * requests' answers are read here and nothing else is left behind, since the agent sends
 * nothing unasked before a subscribe. An agent too old to know auth.* leaves it unproved.
 */
export async function proveOnSocket(sock: Socket): Promise<CallerInfo | undefined> {
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>>((l) => sock.write(l));
  const feed = (d: Buffer) => ep.receive(d);
  sock.on('data', feed);
  try {
    return await proveIdentity(ep);
  } catch (e) {
    if (e instanceof RpcError && e.code === 'ENOMETHOD') return undefined;
    throw e;
  } finally {
    sock.off('data', feed);
    sock.pause();
  }
}
