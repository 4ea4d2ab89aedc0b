/**
 * The client's half of the agent's identity challenge (agent/daemon/callerIdentity.ts): claim
 * a uid, read the nonce the agent left in a file only that uid can read, send it back. Who
 * reads the file is the caller's: a tool on the node reads it itself; the GUI talking to the
 * daemon's socket over SSH (electron/ssh/daemonSocketChannel.ts) reads it through the same
 * SSH login, as the same user, which is the same proof.
 */
import type { RpcEndpoint } from './rpcEndpoint.js';
import type { AgentRequests, CallerInfo } from '../protocol/agent.js';
import { RpcError } from '../protocol/rpc.js';

export type ChallengeAsker = Pick<RpcEndpoint<AgentRequests, Record<never, never>>, 'request'>;

export async function proveCaller(ep: ChallengeAsker, uid: number, readNonce: (file: string) => Promise<string> | string): Promise<CallerInfo> {
  const { file } = await ep.request('auth.challenge', { uid });
  let nonce: string;
  try {
    nonce = await readNonce(file);
  } catch (e) {
    throw new RpcError('EPERM', `cannot read the agent's identity challenge ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): is the agent's state directory reachable for your user (mode 0711)?`);
  }
  return ep.request('auth.prove', { nonce });
}
