/**
 * One connection's requests, checked against who made them (requestAccess.ts) before any
 * handler runs. The connection's caller is proved with auth.challenge / auth.prove
 * (callerIdentity.ts); until then it may only read. A job started here runs as the caller:
 * the owner is set here, from the proof, never from the request (the validators refuse it).
 */
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests, CallerInfo } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { CHALLENGE_TTL_MS, type CallerChallenges, type Challenge } from './callerIdentity.js';
import { REQUEST_ACCESS, refusal, type Owned } from './requestAccess.js';

export interface Connection {
  /** Undefined until proved (a socket); the agent's own user on its stdio (embedded attach). */
  caller?: CallerInfo;
  challenge?: Challenge;
}

export interface GuardDeps {
  /** The uid the agent runs as: that user (and root) may do all. */
  agentUid: number;
  challenges: CallerChallenges;
  /** Whose job or process an owner request names; undefined when it names none known here. */
  ownerOf(params: unknown): Owned | undefined;
}

type AnyHandler = (p: unknown) => unknown;

export function guardedHandlers(handlers: Handlers<AgentRequests>, conn: Connection, deps: GuardDeps): Handlers<AgentRequests> {
  const out: Record<string, AnyHandler> = {};
  for (const [name, handler] of Object.entries(handlers) as [keyof AgentRequests, AnyHandler | undefined][]) {
    if (!handler) continue;
    out[name] = (params) => {
      const caller = conn.caller;
      const admin = caller !== undefined && (caller.uid === 0 || caller.uid === deps.agentUid);
      const owned = REQUEST_ACCESS[name] === 'owner' && caller && !admin ? deps.ownerOf(params) : undefined;
      const no = refusal(name, params, caller, deps.agentUid, owned);
      if (no) throw no;
      return handler(name === 'jobs.start' ? { ...(params as object), owner: caller } : params);
    };
  }
  const own: Partial<Handlers<AgentRequests>> = {
    'auth.challenge': ({ uid }) => {
      conn.challenge?.drop();
      const c = deps.challenges.issue(uid);
      conn.challenge = c;
      // Not left on disk by a client that never proves it.
      setTimeout(() => c.drop(), CHALLENGE_TTL_MS).unref();
      return { file: c.file };
    },
    'auth.prove': ({ nonce }) => {
      const c = conn.challenge;
      conn.challenge = undefined;
      if (!c) throw new RpcError('EPERM', 'no identity challenge is open on this connection: ask auth.challenge first');
      conn.caller = c.prove(nonce);
      return conn.caller;
    },
  };
  return { ...(out as Handlers<AgentRequests>), ...own };
}

/** The connection ends: its open challenge's file goes. */
export function closeConnection(conn: Connection): void {
  conn.challenge?.drop();
  conn.challenge = undefined;
}
