/** Serves the API over any JSON-lines link (the headless WebSocket; tests use it directly). */
import { RpcEndpoint, type Handlers } from '../../shared/rpc/rpcEndpoint.js';
import { API_CHANNELS, type ApiEvents, type ApiRequests } from '../../shared/protocol/api.js';
import type { ApiService } from './clusterTypes.js';

export type ApiServerEndpoint = RpcEndpoint<Record<never, never>, ApiEvents, ApiRequests>;

export function serveApi(service: ApiService, send: (line: string) => void, onProtocolError: (p: string) => void) {
  const handlers = Object.fromEntries(
    API_CHANNELS.map((c) => [c, (req: unknown) => service.dispatch(c, req)]),
  ) as Handlers<ApiRequests>;
  const ep: ApiServerEndpoint = new RpcEndpoint(send, handlers, { onProtocolError });
  const unsubscribe = service.subscribe((event, data) => ep.emit(event, data));
  return {
    endpoint: ep,
    close: () => {
      unsubscribe();
      ep.close('client closed');
    },
  };
}
