/** The Electron preload's replies as the MosixviewBridge the windows use: a failed reply rejects with its RpcError. */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { PreloadBridge } from '../../shared/protocol/preloadBridge.js';
import { wireError } from '../../shared/protocol/rpc.js';

export function bridgeOverPreload(preload: PreloadBridge): MosixviewBridge {
  return {
    async invoke(channel, req) {
      const reply = await preload.invoke(channel, req);
      // The reply crossed a process boundary: its code is checked against the closed set.
      if (!reply.ok) throw wireError(reply.error);
      return reply.value as never;
    },
    on: (event, cb) => preload.on(event, cb),
  };
}
