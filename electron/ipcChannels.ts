/** The two Electron IPC channels the whole API travels on (preload <-> main). */
export const INVOKE_CHANNEL = 'mosixview:invoke';
export const EVENT_CHANNEL = 'mosixview:event';

/** What crosses IPC: Electron keeps only an Error's message, so errors travel as data. */
export type { InvokeReply } from '../shared/protocol/preloadBridge.js';
