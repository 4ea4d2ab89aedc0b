/**
 * Sandboxed preload: exposes window.mosixview (the MosixviewBridge) and nothing else.
 * Only the API's own channels and events pass; the main process checks the sender too.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeReply } from './ipcChannels.js';
import { API_CHANNELS, API_EVENTS, type MosixviewBridge } from '../shared/protocol/api.js';


const bridge: MosixviewBridge = {
  async invoke(channel, req) {
    if (!API_CHANNELS.includes(channel)) throw new Error(`unknown API request "${String(channel)}"`);
    const reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, channel, req)) as InvokeReply;
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value as never;
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
