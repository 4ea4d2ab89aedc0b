/**
 * What the Electron preload exposes as window.mosixview. Electron's context bridge rebuilds
 * an Error from its message alone (the code would be lost on the way), so the preload hands
 * the page the main process's reply as data; the renderer turns a failed one back into an
 * RpcError with its code (renderer/bridge/preloadBridge.ts).
 */
import type { ApiEvents, ApiRequests } from './api.js';
import type { RpcErrorBody } from './rpc.js';

export type InvokeReply = { ok: true; value: unknown } | { ok: false; error: RpcErrorBody };

export interface PreloadBridge {
  invoke(channel: keyof ApiRequests, req: unknown): Promise<InvokeReply>;
  on<E extends keyof ApiEvents>(event: E, cb: (data: ApiEvents[E]) => void): () => void;
}
