/** Composes the API handlers (the core's and each feature's) and dispatches untrusted requests to them. */
import { RpcError } from '../../shared/protocol/rpc.js';
import { API_CHANNELS, type ApiRequests, type CoreApiRequests } from '../../shared/protocol/api.js';
import { composeHandlers } from '../../shared/rpc/composeHandlers.js';
import { validateRequest } from '../../shared/protocol/validate.js';
import { API_VALIDATORS } from '../../shared/protocol/api.validate.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from './clusterTypes.js';

/** One owner per request name: a feature that served a core request or another feature's would otherwise replace it silently. */
export function composeApi(core: Pick<ApiHandlers, keyof CoreApiRequests>, features: ApiFeature[], ctx: ServiceContext): ApiHandlers {
  return composeHandlers<Partial<ApiHandlers>>([
    { by: 'the core', handlers: core },
    ...features.map((f, i) => ({ by: `API feature ${f.name || i + 1}`, handlers: f(ctx) })),
  ]) as ApiHandlers;
}

/**
 * Dispatches one request from an untrusted caller (IPC or the headless WebSocket): checks
 * the channel, then its parameters against the channel's validator (api.validate.ts), so
 * every handler receives a checked, typed request.
 */
export async function dispatchApi(handlers: ApiHandlers, channel: unknown, req: unknown): Promise<unknown> {
  if (typeof channel !== 'string' || !(API_CHANNELS as string[]).includes(channel)) {
    throw new RpcError('ENOCHANNEL', `unknown API request ${JSON.stringify(channel)}`);
  }
  const handler = handlers[channel as keyof ApiRequests] as ((r: unknown) => Promise<unknown>) | undefined;
  if (!handler) throw new RpcError('ENOCHANNEL', `API request "${channel}" is not served by this build`);
  return handler(validateRequest(API_VALIDATORS, channel, req ?? null));
}
