/**
 * The GUI's channel to a node's running agent daemon straight through its unix socket, over
 * the SSH connection it already has (OpenSSH's direct-streamlocal, allowed by sshd's default
 * AllowStreamLocalForwarding yes). It replaces `mosixview-agent attach`, a Node.js process per
 * node that only relays bytes, where a daemon of the GUI's version already runs.
 *
 * Who may talk stays as with the relay: sshd opens the socket as the logged-in user, so the
 * socket's permissions apply (a user's own agent is in a 0700 directory), and the daemon's
 * identity challenge is answered by reading its file through the same login (shared/rpc/callerProof.ts).
 */
import { PassThrough } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentHello, AgentRequests } from '../../shared/protocol/agent.js';
import { proveCaller } from '../../shared/rpc/callerProof.js';
import type { AgentChannel } from '../core/agentChannel.js';
import { execCollect, shQuote } from './agentDeploy.js';
import type { RunningDaemon } from './daemonProbe.js';

const READ_TIMEOUT_MS = 10_000;

function openStream(client: Client, socket: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.openssh_forwardOutStreamLocal(socket, (err, ch) => {
      // sshd gives the same answer whether its config forbids this or nothing listens there.
      if (err) return reject(new Error(`cannot open the agent's socket ${socket} over SSH (sshd's AllowStreamLocalForwarding no, or the daemon is gone): ${err.message}`));
      resolve(ch);
    });
  });
}

/** The challenge file, read as the SSH login's user: only that user (or root) can. */
async function readRemote(client: Client, file: string): Promise<string> {
  const r = await execCollect(client, `exec cat -- ${shQuote(file)}`, '', READ_TIMEOUT_MS);
  if (r.code !== 0) throw new Error(r.err.trim() || `cat exited ${r.code}`);
  return r.out;
}

/**
 * Connects to the daemon's socket and proves the login's uid; the channel then carries the GUI's
 * protocol, and the hello answer asked meanwhile (`version` is this GUI's agent version). With
 * `expect` (a daemon remembered from an earlier start, not just probed), that hello must name
 * `version`: anything else is an error, and the caller probes instead.
 */
export async function openDaemonSocket(client: Client, daemon: RunningDaemon, version: string, expect?: 'same version'): Promise<AgentChannel> {
  const ch = await openStream(client, daemon.socket);
  ch.on('error', () => undefined);
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>>((line) => ch.write(line));
  const feed = (d: Buffer) => ep.receive(d);
  const closedEarly = () => ep.close('the agent closed its socket');
  ch.on('data', feed);
  ch.once('close', closedEarly);
  let hello: AgentHello;
  try {
    // Both asked at once: the answers come in one round trip, and the channel is used only if both hold.
    const said = ep.request('hello', { client: 'gui', version }, READ_TIMEOUT_MS).then((h) => {
      if (expect && h.version !== version) throw new Error(`the daemon at ${daemon.socket} is version ${h.version}, not ${version}`);
      return h;
    });
    const proved = proveCaller(ep, daemon.uid, (file) => readRemote(client, file));
    [hello] = await Promise.all([said, proved]);
  } catch (e) {
    ch.close();
    throw e;
  } finally {
    // The daemon sends nothing unasked before a subscribe: no byte after the answers is lost.
    ch.off('data', feed);
    ch.off('close', closedEarly);
    ch.pause();
  }
  // Paused explicitly, a stream stays paused when a reader attaches: the reader's listener resumes it.
  const resumeOnReader = (event: string | symbol) => {
    if (event !== 'data') return;
    ch.off('newListener', resumeOnReader);
    queueMicrotask(() => ch.resume());
  };
  ch.on('newListener', resumeOnReader);
  let closed = false;
  const waiting: ((code: number | null, signal: string | null) => void)[] = [];
  ch.once('close', () => {
    closed = true;
    for (const cb of waiting.splice(0)) cb(null, null);
  });
  const stderr = new PassThrough();
  stderr.end();
  return {
    hello,
    stdin: ch,
    stdout: ch,
    stderr,
    close() {
      if (closed) return;
      ch.end();
      ch.close();
    },
    onExit(cb) {
      if (closed) queueMicrotask(() => cb(null, null));
      else waiting.push(cb);
    },
  };
}
