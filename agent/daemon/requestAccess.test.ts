/** Who may make which request: everyone reads, users act on their own, root on all. */
import { describe, expect, it } from 'vitest';
import type { AgentRequests, CallerInfo } from '../../shared/protocol/agent.js';
import { AGENT_VALIDATORS } from '../../shared/protocol/agent.validate.js';
import { REQUEST_ACCESS, actionOf, refusal, type Owned } from './requestAccess.js';
import { guardedHandlers } from './requestGuard.js';
import type { CallerChallenges } from './callerIdentity.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';

const alice: CallerInfo = { uid: 1500, user: 'alice' };
const bob: CallerInfo = { uid: 1501, user: 'bob' };
const root: CallerInfo = { uid: 0, user: 'root' };
const alicesJob: Owned = { what: 'job 1.496', uid: 1500, user: 'alice' };
const ROOT_AGENT = 0;

const refused = (method: keyof AgentRequests, caller: CallerInfo | undefined, owned?: Owned, params: unknown = {}, agentUid = ROOT_AGENT) => {
  const e = refusal(method, params, caller, agentUid, owned);
  return e ? `${e.code} ${e.message}` : undefined;
};

describe('the permission rule', () => {
  it('classifies every request of the protocol', () => {
    expect(Object.keys(REQUEST_ACCESS).sort()).toEqual(Object.keys(AGENT_VALIDATORS).sort());
  });

  it('everyone sees everything, also before proving who they are (as with ps)', () => {
    for (const m of ['procs', 'jobs.list', 'jobs.get', 'sample', 'cluster.info', 'balance.view'] as const) {
      expect(refused(m, undefined)).toBeUndefined();
      expect(refused(m, bob)).toBeUndefined();
    }
  });

  it('acting needs a proved caller', () => {
    for (const m of ['jobs.start', 'jobs.signal', 'shutdown'] as const) {
      expect(refused(m, undefined)).toMatch(new RegExp(`^EPERM "${m}" needs to know who you are, and this connection has not proved it: use the node's tools`));
    }
  });

  it("a user acts on their own jobs; another user's are refused with the job, its owner and what to do", () => {
    expect(refused('jobs.migrate', alice, alicesJob)).toBeUndefined();
    expect(refused('jobs.signal', alice, alicesJob, { signal: 'KILL' })).toBeUndefined();
    expect(refused('jobs.signal', bob, alicesJob, { signal: 'KILL' })).toBe(
      "ENOTOWNER job 1.496 belongs to alice (uid 1500), and you are bob (uid 1501): only its owner or root may kill it; ask alice or the node's admin",
    );
    expect(refused('jobs.migrate', bob, alicesJob)).toMatch(/only its owner or root may move it/);
    expect(refused('jobs.renice', bob, alicesJob)).toMatch(/may renice it/);
    expect(refused('jobs.lock', bob, alicesJob, { locked: true })).toMatch(/may lock it/);
    expect(refused('jobs.lock', bob, alicesJob, { locked: false })).toMatch(/may unlock it/);
    expect(refused('jobs.forget', bob, alicesJob)).toMatch(/may forget it/);
    expect(refused('jobs.check', bob, alicesJob)).toMatch(/may check it/);
    // A plain process of another user (or root's) too: the agent kills nothing for bob that bob may not.
    expect(refused('jobs.signal', bob, { what: 'process 1', uid: 0, user: 'root' }, { signal: 'STOP' })).toMatch(/^ENOTOWNER process 1 belongs to root \(uid 0\), and you are bob \(uid 1501\): only its owner or root may stop it/);
  });

  it('root does all; so does the user an agent of its own runs as', () => {
    for (const m of Object.keys(REQUEST_ACCESS) as (keyof AgentRequests)[]) expect(refused(m, root, alicesJob)).toBeUndefined();
    expect(refused('shutdown', bob, undefined, {}, bob.uid)).toBeUndefined();
    expect(refused('jobs.signal', bob, alicesJob, { signal: 'KILL' }, bob.uid)).toBeUndefined();
  });

  it("the node's settings are root's", () => {
    for (const m of ['shutdown', 'setSpeed', 'cluster.configure', 'cluster.key', 'balance.set', 'jobs.setNodeId', 'history.start', 'fs.list'] as const) {
      expect(refused(m, alice)).toBe(`EPERM "${m}" is for the node's admin, and you are alice (uid 1500): run it as root (for example with sudo)`);
    }
    expect(refused('jobs.start', alice)).toBeUndefined();
  });

  it('says each action in words', () => {
    expect(['KILL', 'STOP', 'CONT'].map((signal) => actionOf('jobs.signal', { signal }))).toEqual(['kill', 'stop', 'continue']);
  });
});

describe('the guard asks whose the target is only when it matters', () => {
  it('not for root, nor for reading; for a user acting, and refuses before the handler runs', () => {
    const asked: unknown[] = [];
    const ran: string[] = [];
    const handlers: Handlers<AgentRequests> = {
      'jobs.signal': () => (ran.push('signal'), null),
      procs: () => (ran.push('procs'), []),
    };
    const deps = { agentUid: 0, challenges: {} as CallerChallenges, ownerOf: (p: unknown) => (asked.push(p), alicesJob) };
    const asRoot = guardedHandlers(handlers, { caller: root }, deps) as Record<string, (p: unknown) => unknown>;
    asRoot['jobs.signal']!({ pid: 5, signal: 'KILL' });
    const asBob = guardedHandlers(handlers, { caller: bob }, deps) as Record<string, (p: unknown) => unknown>;
    asBob.procs!(null);
    expect(asked).toEqual([]);
    expect(() => asBob['jobs.signal']!({ pid: 5, signal: 'KILL' })).toThrow(/job 1.496 belongs to alice/);
    expect(asked).toEqual([{ pid: 5, signal: 'KILL' }]);
    expect(ran).toEqual(['signal', 'procs']);
  });
});
