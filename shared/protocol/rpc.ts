/** Wire format shared by every JSON-lines channel (main <-> agent, CLI <-> daemon). */
import { isErrorCode, type ErrorCode } from './errorCodes.js';

export type { ErrorCode } from './errorCodes.js';

/** A map of request names to their parameter and result types. */
export type RequestMap = Record<string, { req: unknown; res: unknown }>;
/** A map of event names to their payload types. */
export type EventMap = Record<string, unknown>;

export type Params<M extends RequestMap, K extends keyof M> = M[K]['req'];
export type Result<M extends RequestMap, K extends keyof M> = M[K]['res'];

export interface RpcErrorBody {
  /** Stable machine-readable code of the closed set in errorCodes.ts, e.g. "EINVAL". */
  code: ErrorCode;
  /** A sentence an admin can act on: what went wrong and what to do. */
  message: string;
}

export type RpcMessage =
  | { id: number; method: string; params?: unknown }
  | { id: number; result: unknown }
  | { id: number; error: RpcErrorBody }
  | { event: string; data: unknown };

/** Error carried across a channel; `code` survives the trip. */
export class RpcError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
  toBody(): RpcErrorBody {
    return { code: this.code, message: this.message };
  }
}

/**
 * What a failure looks like on the wire. A raw system error (fs, net: ENOSPC, ECONNREFUSED)
 * is not one of our codes: it travels as EIO with its errno kept in the message.
 */
export function errorBody(e: unknown): RpcErrorBody {
  if (e instanceof RpcError) return e.toBody();
  if (!(e instanceof Error)) return { code: 'EFAIL', message: String(e) };
  const errno = (e as NodeJS.ErrnoException).code;
  if (typeof errno !== 'string') return { code: 'EFAIL', message: e.message };
  return { code: 'EIO', message: e.message.includes(errno) ? e.message : `${e.message} (${errno})` };
}

/** Any thrown value as an RpcError, with a code of the closed set (see errorBody). */
export function asRpcError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  const body = errorBody(e);
  return new RpcError(body.code, body.message);
}

/**
 * The error an answer from the other side carries. Wire input is untrusted: a code that is
 * not ours (another version, a bug, a hostile peer) becomes EFAIL, never a new string in
 * the program; it is kept, shortened, in the message for whoever debugs it.
 */
export function wireError(body: unknown): RpcError {
  const b = typeof body === 'object' && body !== null ? (body as { code?: unknown; message?: unknown }) : {};
  const message = typeof b.message === 'string' ? b.message : 'unknown error';
  if (isErrorCode(b.code)) return new RpcError(b.code, message);
  if (b.code === undefined) return new RpcError('EFAIL', message);
  return new RpcError('EFAIL', `${message} (unknown error code ${JSON.stringify(String(b.code).slice(0, 40))})`);
}
