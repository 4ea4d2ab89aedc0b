/** Wire format shared by every JSON-lines channel (main <-> agent, CLI <-> daemon). */

/** A map of request names to their parameter and result types. */
export type RequestMap = Record<string, { req: unknown; res: unknown }>;
/** A map of event names to their payload types. */
export type EventMap = Record<string, unknown>;

export type Params<M extends RequestMap, K extends keyof M> = M[K]['req'];
export type Result<M extends RequestMap, K extends keyof M> = M[K]['res'];

export interface RpcErrorBody {
  /** Stable machine-readable code, e.g. "EINVAL", "ENOTFOUND", "ETIMEDOUT". */
  code: string;
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
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
  toBody(): RpcErrorBody {
    return { code: this.code, message: this.message };
  }
}

export function errorBody(e: unknown): RpcErrorBody {
  if (e instanceof RpcError) return e.toBody();
  if (e instanceof Error) return { code: (e as NodeJS.ErrnoException).code ?? 'EFAIL', message: e.message };
  return { code: 'EFAIL', message: String(e) };
}
