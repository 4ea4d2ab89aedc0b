/** The request and event maps the RpcEndpoint tests speak. */
import type { RpcEndpoint } from './rpcEndpoint.js';
import type { ErrorCode } from '../protocol/rpc.js';

export type ServerReqs = {
  add: { req: { a: number; b: number }; res: number };
  echo: { req: { text: string }; res: { text: string } };
  fail: { req: { code: ErrorCode }; res: null };
  failPlain: { req: null; res: null };
  never: { req: null; res: null };
  nothing: { req: null; res: null };
};
export type ServerEvents = { tick: { n: number; text?: string } };
export type ClientReqs = { ping: { req: null; res: 'pong' } };

export type Client = RpcEndpoint<ServerReqs, Record<never, never>, ClientReqs, ServerEvents>;
export type Server = RpcEndpoint<ClientReqs, ServerEvents, ServerReqs, Record<never, never>>;
