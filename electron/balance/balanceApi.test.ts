import { describe, expect, it } from 'vitest';
import { fakeContext, fakeSession, type FakeSession } from '../core/fakeSession.test-util.js';
import { makeBalanceApi } from './balanceApi.js';

function api(sessions: FakeSession[]) {
  return makeBalanceApi()(fakeContext(sessions)) as Required<ReturnType<ReturnType<typeof makeBalanceApi>>>;
}

describe('balance API', () => {
  it('setFlag sets, then reads the state back from the agent', async () => {
    const s = fakeSession(2);
    const h = api([s]);
    const r = await h['balance.setFlag']({ nodeId: 2, flag: 'block', value: true });
    expect(r).toEqual([{ nodeId: 2, ok: true, value: { nodeId: 2, flags: { stay: false, lstay: false, block: true, quiet: false } } }]);
    expect(s.calls).toEqual(['balance.set', 'balance.state']);
    await expect(h['balance.state']({ nodeId: 9 })).rejects.toMatchObject({ code: 'ENONODE' });
  });

  it('"all" answers per node; a down node is its own failed result', async () => {
    const h = api([fakeSession(1), fakeSession(2, false), fakeSession(3)]);
    const r = await h['balance.expel']({ nodeId: 'all' });
    expect(r.map((x) => [x.nodeId, x.ok])).toEqual([[1, true], [2, false], [3, true]]);
    expect(r[1]).toMatchObject({ ok: false, error: expect.stringContaining('not connected') });
  });
});
