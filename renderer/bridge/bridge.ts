/** The renderer's one way to the main process: the preload's bridge, or its WebSocket stand-in. */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { createWsBridge } from './wsBridge.js';

declare global {
  interface Window {
    mosixview?: MosixviewBridge;
  }
}

let bridge: MosixviewBridge | undefined;

export function getBridge(onConnection: (state: 'open' | 'lost', why?: string) => void): MosixviewBridge {
  if (!bridge) {
    if (window.mosixview) {
      bridge = window.mosixview;
      onConnection('open');
    } else {
      bridge = createWsBridge(onConnection);
    }
  }
  return bridge;
}
