import { describe, expect, it } from 'vitest';
import { fakeContext, fakeSession, type FakeSession } from './fakeSession.test-util.js';
import { makeNodeAgentApi } from './nodeAgentApi.js';

function api(sessions: FakeSession[]) {
  return makeNodeAgentApi(1000)(fakeContext(sessions)) as Required<ReturnType<ReturnType<typeof makeNodeAgentApi>>>;
}

describe('node agent API', () => {
  it('stop and start go to the session (attach --stop / --start); start waits until the node is up', async () => {
    const s = fakeSession(1);
    const unreachable = fakeSession(9);
    const h = api([s, unreachable]);
    expect(await h['node.stopAgent']({ nodeId: 1 })).toEqual([{ nodeId: 1, ok: true, value: null }]);
    expect(s.view.status).toBe('down');
    expect((await h['node.stopAgent']({ nodeId: 9 }))[0]).toMatchObject({ ok: false, error: expect.stringContaining('connection refused') });
    expect(await h['node.startAgent']({ nodeId: 1 })).toEqual([{ nodeId: 1, ok: true, value: 'started' }]);
    expect(s.calls).toEqual(['stopAgent', 'startAgent']);
  });

  it('start on an agent that runs says so: nothing was started', async () => {
    const s = fakeSession(1);
    const h = api([s, fakeSession(2, false)]);
    expect(await h['node.startAgent']({ nodeId: 'all' })).toEqual([
      { nodeId: 1, ok: true, value: 'already running' },
      { nodeId: 2, ok: true, value: 'started' },
    ]);
    expect(s.calls).toEqual([]);
  });
});
