import { describe, expect, it } from 'vitest';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ServiceContext } from '../core/clusterService.js';
import type { NodeSession } from '../core/nodeSession.js';
import { makeBalanceApi } from './balanceApi.js';

/** Just enough of a NodeSession: a view, requests answered from a script, stop/start recorded. */
function fakeSession(id: number, up = true) {
  const calls: string[] = [];
  const s = {
    id,
    view: { id, host: `h${id}`, status: up ? 'up' : 'down', reason: up ? undefined : 'link cut' } as NodeSession['view'],
    flags: { stay: false, lstay: false, block: false, quiet: false },
    calls,
    get isHeld() {
      return s.view.reason === 'agent stopped by the admin';
    },
    async stopAgent() {
      calls.push('stopAgent');
      if (id === 9) throw new Error('cannot connect to h9:22: connection refused');
      s.view = { ...s.view, status: 'down', reason: 'agent stopped by the admin' };
    },
    startAgent() {
      calls.push('startAgent');
      s.view = { ...s.view, status: 'up', reason: undefined };
    },
    async request(method: string, params: { flag?: 'block'; value?: boolean } | null) {
      calls.push(method);
      if (s.view.status !== 'up') throw new RpcError('ENODEDOWN', `node ${id} is not connected`);
      if (method === 'balance.set') s.flags = { ...s.flags, [params!.flag!]: params!.value === true };
      if (method === 'balance.state') return { nodeId: id, flags: { ...s.flags } };
      if (method === 'shutdown') {
        s.view = { ...s.view, status: 'down' };
        return null;
      }
      return { moved: [], failed: [], unreachable: [] };
    },
  };
  return s;
}

function api(sessions: ReturnType<typeof fakeSession>[]) {
  const ctx = {
    config: { name: 't', source: 'profile', nodes: [] },
    session: (id: number) => {
      const s = sessions.find((x) => x.id === id);
      if (!s) throw new RpcError('ENONODE', `no node ${id}`);
      return s as unknown as NodeSession;
    },
    sessions: () => sessions as unknown as NodeSession[],
    emit: () => undefined,
  } as unknown as ServiceContext;
  return makeBalanceApi(1000)(ctx) as Required<ReturnType<ReturnType<typeof makeBalanceApi>>>;
}

describe('balance API', () => {
  it('setFlag sets, then reads the state back from the agent', async () => {
    const s = fakeSession(2);
    const h = api([s]);
    const r = await h['balance.setFlag']({ nodeId: 2, flag: 'block', value: true });
    expect(r).toEqual([{ nodeId: 2, ok: true, value: { nodeId: 2, flags: { stay: false, lstay: false, block: true, quiet: false } } }]);
    expect(s.calls).toEqual(['balance.set', 'balance.state']);
    await expect(h['balance.setFlag']({ nodeId: 2, flag: 'mfs' as 'block', value: true })).rejects.toMatchObject({ code: 'EINVAL' });
    await expect(h['balance.state']({ nodeId: 9 })).rejects.toMatchObject({ code: 'ENONODE' });
  });

  it('"all" answers per node; a down node is its own failed result', async () => {
    const h = api([fakeSession(1), fakeSession(2, false), fakeSession(3)]);
    const r = await h['balance.expel']({ nodeId: 'all' });
    expect(r.map((x) => [x.nodeId, x.ok])).toEqual([[1, true], [2, false], [3, true]]);
    expect(r[1]).toMatchObject({ ok: false, error: expect.stringContaining('not connected') });
  });

  it('stop and start go to the session (attach --stop / --start); start waits until the node is up', async () => {
    const s = fakeSession(1);
    const unreachable = fakeSession(9);
    const h = api([s, unreachable]);
    expect(await h['balance.stopAgent']({ nodeId: 1 })).toEqual([{ nodeId: 1, ok: true, value: null }]);
    expect(s.view.status).toBe('down');
    expect((await h['balance.stopAgent']({ nodeId: 9 }))[0]).toMatchObject({ ok: false, error: expect.stringContaining('connection refused') });
    expect(await h['balance.startAgent']({ nodeId: 1 })).toEqual([{ nodeId: 1, ok: true, value: 'started' }]);
    expect(s.calls).toEqual(['stopAgent', 'startAgent']);
  });

  it('start on an agent that runs says so: nothing was started', async () => {
    const s = fakeSession(1);
    const h = api([s, fakeSession(2, false)]);
    expect(await h['balance.startAgent']({ nodeId: 'all' })).toEqual([
      { nodeId: 1, ok: true, value: 'already running' },
      { nodeId: 2, ok: true, value: 'started' },
    ]);
    expect(s.calls).toEqual([]);
  });
});
