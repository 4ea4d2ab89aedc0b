import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreloadBridge } from '../shared/protocol/preloadBridge.js';

/**
 * Electron's context bridge rebuilds an Error on the page's side from its message alone
 * (electron_api_context_bridge.cc: "Errors aren't serializable currently"): this stand-in
 * does the same to every rejection, so what the window can read is what it gets in Electron.
 */
function acrossContextBridge(api: PreloadBridge): PreloadBridge {
  const copyError = (e: unknown) => Promise.reject(e instanceof Error ? new Error(e.message) : e);
  return {
    invoke: (channel, req) => api.invoke(channel, req).catch(copyError),
    on: (event, cb) => api.on(event, cb),
  };
}

const electron = vi.hoisted(() => ({
  exposed: undefined as unknown,
  reply: undefined as unknown,
  sent: [] as unknown[][],
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (_key: string, api: unknown) => (electron.exposed = api) },
  'ipcRenderer': {
    invoke: async (...args: unknown[]) => (electron.sent.push(args), electron.reply),
    on: () => undefined,
    removeListener: () => undefined,
  },
}));

async function page(): Promise<PreloadBridge> {
  await import('./preload.js');
  return acrossContextBridge(electron.exposed as PreloadBridge);
}

beforeEach(() => {
  electron.sent = [];
});

describe('the preload', () => {
  it("a failure reaches the window with its code (EALREADY: the migrator's \"nothing to do\")", async () => {
    electron.reply = { ok: false, error: { code: 'EALREADY', message: 'job 1.4 already runs on node 1' } };
    const said = await (await page()).invoke('job.migrate', { nodeId: 1, ref: { home: 1, id: 4 }, to: 'home' }).catch((e: unknown) => e);
    expect(said).toEqual({ ok: false, error: { code: 'EALREADY', message: 'job 1.4 already runs on node 1' } });
    expect(electron.sent).toEqual([['mosixview:invoke', 'job.migrate', { nodeId: 1, ref: { home: 1, id: 4 }, to: 'home' }]]);
  });

  it('passes an answer through as it came', async () => {
    electron.reply = { ok: true, value: [1, 2] };
    expect(await (await page()).invoke('cluster.get', null)).toEqual({ ok: true, value: [1, 2] });
  });

  it('refuses a channel the API does not have, with its code, and sends nothing', async () => {
    const said = await (await page()).invoke('rm -rf' as never, null);
    expect(said).toEqual({ ok: false, error: { code: 'ENOCHANNEL', message: 'unknown API request "rm -rf"' } });
    expect(electron.sent).toEqual([]);
  });
});
