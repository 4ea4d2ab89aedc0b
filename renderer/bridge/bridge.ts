/** The renderer's one way to the main process: the preload's bridge, or its WebSocket stand-in. */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { adoptEarly } from './earlyStart.js';
import { bridgeOverPreload } from './preloadBridge.js';
import { createWsBridge } from './wsBridge.js';

let bridge: MosixviewBridge | undefined;

export function getBridge(onConnection: (state: 'open' | 'lost', why?: string) => void): MosixviewBridge {
  // The connection boot.js opened before this script ran (earlyStart.ts), or one of its own without it.
  bridge ??= adoptEarly(window, onConnection) ?? ownBridge(onConnection);
  return bridge;
}

function ownBridge(onConnection: (state: 'open' | 'lost', why?: string) => void): MosixviewBridge {
  if (!window.mosixview) return createWsBridge(onConnection);
  onConnection('open');
  return bridgeOverPreload(window.mosixview);
}
