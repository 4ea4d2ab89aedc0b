/**
 * Sandboxed preload: exposes window.mosixview (the PreloadBridge) and nothing else.
 * Only the API's own channels and events pass; the main process checks the sender too.
 * A failure stays a reply (data): an Error thrown across the context bridge would arrive
 * with its message only, and the window branches on the code.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeReply } from './ipcChannels.js';
import { API_CHANNELS, API_EVENTS } from '../shared/protocol/api.js';
import type { PreloadBridge } from '../shared/protocol/preloadBridge.js';


const bridge: PreloadBridge = {
  async invoke(channel, req) {
    if (!API_CHANNELS.includes(channel)) return { ok: false, error: { code: 'ENOCHANNEL', message: `unknown API request "${String(channel)}"` } };
    return (await ipcRenderer.invoke(INVOKE_CHANNEL, channel, req)) as InvokeReply;
  },
  on(event, cb) {
    if (!API_EVENTS.includes(event)) throw new Error(`unknown API event "${String(event)}"`);
    const listener = (_e: IpcRendererEvent, name: string, data: unknown) => {
      if (name === event) cb(data as never);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, listener);
  },
};

contextBridge.exposeInMainWorld('mosixview', bridge);
