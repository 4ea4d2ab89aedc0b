/** Just enough of the API features' context for their unit tests: scripted node sessions. */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ServiceContext } from './clusterTypes.js';
import type { NodeSession } from './nodeSession.js';

/** Just enough of a NodeSession: a view, requests answered from a script, stop/start recorded. */
export function fakeSession(id: number, up = true) {
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

export type FakeSession = ReturnType<typeof fakeSession>;

/** A context whose sessions are the given fakes; a node not among them is ENONODE. */
export function fakeContext(sessions: FakeSession[]): ServiceContext {
  return {
    config: { name: 't', source: 'profile', nodes: [] },
    session: (id: number) => {
      const s = sessions.find((x) => x.id === id);
      if (!s) throw new RpcError('ENONODE', `no node ${id}`);
      return s as unknown as NodeSession;
    },
    sessions: () => sessions as unknown as NodeSession[],
    emit: () => undefined,
  } as unknown as ServiceContext;
}
