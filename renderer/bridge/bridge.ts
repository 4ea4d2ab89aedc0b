/** The renderer's one way to the main process: the preload's bridge, or its WebSocket stand-in. */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { PreloadBridge } from '../../shared/protocol/preloadBridge.js';
import { bridgeOverPreload } from './preloadBridge.js';
import { createWsBridge } from './wsBridge.js';

declare global {
  interface Window {
    mosixview?: PreloadBridge;
  }
}

let bridge: MosixviewBridge | undefined;

export function getBridge(onConnection: (state: 'open' | 'lost', why?: string) => void): MosixviewBridge {
  if (!bridge) {
    if (window.mosixview) {
      bridge = bridgeOverPreload(window.mosixview);
      onConnection('open');
    } else {
      bridge = createWsBridge(onConnection);
    }
  }
  return bridge;
}
