/** The one IPC handler: only the app's top frame reaches the API; every refusal is logged. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RpcError } from '../../shared/protocol/rpc.js';
import { memoryLog } from '../core/memoryLog.test-util.js';
import { createInvokeHandler } from './electronApp.js';
import { started } from './fakeElectron.test-util.js';

describe('IPC in the started app', () => {
  let t: Awaited<ReturnType<typeof started>>;
  beforeEach(async () => {
    t = await started();
  });

  it('registers its IPC handler on "mosixview:invoke"', () => {
    expect([...t.handlers.keys()]).toEqual(['mosixview:invoke']);
  });

  it('refuses IPC from a foreign page, a subframe or no frame, without dispatching', async () => {
    const invoke = t.handlers.get('mosixview:invoke')!;
    const senders = [
      { senderFrame: { url: 'https://example.org/' } },
      { senderFrame: { url: 'file:///tmp/x.html' } },
      { senderFrame: { url: 'mosixview://app/index.html', parent: { url: 'mosixview://app/index.html' } } },
      { senderFrame: null },
    ];
    for (const ev of senders) {
      const reply = (await invoke(ev, 'cluster.get', null)) as { ok: boolean; error?: { code: string; message: string } };
      expect(reply.ok, JSON.stringify(ev)).toBe(false);
      expect(reply.error?.code).toBe('EPERM');
      expect(reply.error?.message).toMatch(/untrusted sender/);
    }
    expect(t.service.dispatch).not.toHaveBeenCalled();
    // Each refusal is one warning in the main-process log, naming the sender.
    expect(t.logged).toHaveLength(4);
    expect(t.logged.every((l) => / mosixview: refused IPC "cluster\.get" from an untrusted sender /.test(l))).toBe(true);
    expect(t.logged[0]).toContain('("https://example.org/")');
    expect(t.logged[2]).toContain('(a subframe at "mosixview://app/index.html")');
    expect(t.logged[3]).toContain('(no frame)');
  });

  it('passes IPC from the top frame of an app page to dispatch and wraps the result', async () => {
    const invoke = t.handlers.get('mosixview:invoke')!;
    const reply = await invoke({ senderFrame: { url: 'mosixview://app/index.html#/node/3', parent: null } }, 'node.procs', {
      nodeId: 3,
    });
    expect(t.service.dispatch).toHaveBeenCalledExactlyOnceWith('node.procs', { nodeId: 3 });
    expect(t.logged).toEqual([]);
    expect(reply).toEqual({ ok: true, value: { channel: 'node.procs', req: { nodeId: 3 } } });
  });
});

describe('createInvokeHandler', () => {
  const trusted = { senderFrame: { url: 'mosixview://app/index.html' } };

  it('returns dispatch errors as data, keeping the RpcError code', async () => {
    const dispatch = vi.fn(async () => {
      throw new RpcError('ENONODE', 'there is no node 9 in this cluster');
    });
    const reply = await createInvokeHandler({ dispatch })(trusted, 'node.procs', { nodeId: 9 });
    expect(reply).toEqual({ ok: false, error: { code: 'ENONODE', message: 'there is no node 9 in this cluster' } });
  });

  it('gives a plain error the code EFAIL (or its errno code)', async () => {
    const plain = await createInvokeHandler({
      dispatch: async () => {
        throw new Error('boom');
      },
    })(trusted, 'cluster.get', null);
    expect(plain).toEqual({ ok: false, error: { code: 'EFAIL', message: 'boom' } });
    const errno = await createInvokeHandler({
      dispatch: async () => {
        throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      },
    })(trusted, 'cluster.get', null);
    expect(errno).toEqual({ ok: false, error: { code: 'EIO', message: 'refused (ECONNREFUSED)' } });
  });

  it('refuses an untrusted sender with EPERM and never dispatches', async () => {
    const dispatch = vi.fn(async () => 'should not run');
    const { log, logged } = memoryLog();
    const reply = await createInvokeHandler({ dispatch }, log)({ senderFrame: { url: 'https://example.org' } }, 'cluster.get', null);
    expect(reply).toMatchObject({ ok: false, error: { code: 'EPERM' } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/ mosixview: refused IPC "cluster\.get" from an untrusted sender \("https:\/\/example\.org"\)\n$/);
  });

  it('logs what a refused sender sent cut short, on one line', async () => {
    const { log, logged } = memoryLog();
    const handler = createInvokeHandler({ dispatch: async () => null }, log);
    await handler({ senderFrame: { url: 'https://example.org/\nforged line' } }, 'x'.repeat(5000), null);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.length).toBeLessThan(600);
    expect(logged[0]!.split('\n')).toHaveLength(2);
  });
});
