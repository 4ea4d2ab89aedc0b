import { describe, expect, it } from 'vitest';
import type { InvokeReply, PreloadBridge } from '../../shared/protocol/preloadBridge.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { bridgeOverPreload } from './preloadBridge.js';

const answering = (reply: InvokeReply): PreloadBridge => ({ invoke: async () => reply, on: () => () => undefined });

describe('the bridge over the Electron preload', () => {
  it('resolves with the value of a good reply', async () => {
    await expect(bridgeOverPreload(answering({ ok: true, value: { name: 'lab' } })).invoke('cluster.get', null)).resolves.toEqual({ name: 'lab' });
  });

  it('rejects a failed reply with an RpcError that keeps its code', async () => {
    const e = await bridgeOverPreload(answering({ ok: false, error: { code: 'ENODEDOWN', message: 'node 3 is not connected' } })).invoke('cluster.get', null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: 'ENODEDOWN', message: 'node 3 is not connected' });
  });

  it('a code not of the closed set (another build, a bug) becomes EFAIL', async () => {
    const odd = { ok: false, error: { code: 'ESOMETHING', message: 'hm' } } as unknown as InvokeReply;
    const e = await bridgeOverPreload(answering(odd)).invoke('cluster.get', null).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'EFAIL', message: 'hm (unknown error code "ESOMETHING")' });
  });
});
