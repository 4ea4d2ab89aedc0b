/**
 * The client's half of the identity challenge (agent/daemon/callerIdentity.ts): claim our
 * uid, read the nonce the agent left in a file only that uid can read, send it back.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests, CallerInfo } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';

type Asker = Pick<RpcEndpoint<AgentRequests, Record<never, never>>, 'request'>;

export async function proveIdentity(ep: Asker, uid = process.getuid?.() ?? 0): Promise<CallerInfo> {
  const { file } = await ep.request('auth.challenge', { uid });
  let nonce: string;
  try {
    nonce = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RpcError('EPERM', `cannot read the agent's identity challenge ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): is the agent's state directory reachable for your user (mode 0711)?`);
  }
  return ep.request('auth.prove', { nonce });
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
