import { describe, expect, it } from 'vitest';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';
import type { HistoryProc } from '../../shared/history/types.js';
import { clusterProcs, toHistoryProc, ARGS_KEPT } from './clusterProcs.js';

const proc = (pid: number, command = 'sleep'): HistoryProc => ({ pid, user: 'bob', command, args: `/bin/${command} 60`, state: 'S', cpu: 0, rssKb: 100, where: 0 });
const fig = { t: 0, load: 0, cpus: 1, speed: 10000, util: 0, mem: { totalKb: 1, freeKb: 1, availableKb: 1 } };
const up = (id: number): ClusterViewNode => ({ id, host: `n${id}`, status: 'up', sample: fig });

describe('the process lists of every node', () => {
  it('this node from its own sample, every other node that is up asked over the peer channel, in ID order', async () => {
    const asked: number[] = [];
    const got = await clusterProcs([up(3), up(1), up(2)], {
      self: 1,
      own: () => [proc(10, 'own')],
      ask: async (id) => (asked.push(id), [proc(id * 100)]),
    });
    expect(asked.sort()).toEqual([2, 3]);
    expect(got).toEqual([
      { id: 1, host: 'n1', procs: [proc(10, 'own')] },
      { id: 2, host: 'n2', procs: [proc(200)] },
      { id: 3, host: 'n3', procs: [proc(300)] },
    ]);
  });

  it('a node that is down is not asked, and is missing with why', async () => {
    const asked: number[] = [];
    const got = await clusterProcs([up(1), { id: 2, host: 'n2', status: 'down' }], { self: 1, own: () => [], ask: async (id) => (asked.push(id), []) });
    expect(asked).toEqual([]);
    expect(got).toEqual([{ id: 1, host: 'n1', procs: [] }, { id: 2, host: 'n2', missing: "down: the collector's node had no news of it" }]);
  });

  it('a node that does not answer in time is missing, and costs the others nothing: their lists are there', async () => {
    const got = await clusterProcs([up(1), up(2), up(3)], {
      self: 1,
      own: () => [proc(1)],
      ask: (id) => (id === 2 ? new Promise(() => undefined) : Promise.resolve([proc(id)])),
      timeoutMs: 50,
    });
    expect(got).toEqual([
      { id: 1, host: 'n1', procs: [proc(1)] },
      { id: 2, host: 'n2', missing: 'no answer within 0.05 s' },
      { id: 3, host: 'n3', procs: [proc(3)] },
    ]);
  });

  it('says why for an agent too old to be asked, a refusal, a malformed answer, and a node outside any cluster', async () => {
    const answers: Record<number, () => Promise<unknown>> = {
      2: () => Promise.reject(new RpcError('ENOMETHOD', 'unknown request "history.procList"')),
      3: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.3:4711')),
      4: () => Promise.resolve([{ pid: 'x' }]),
    };
    const got = await clusterProcs([up(1), up(2), up(3), up(4)], { self: 1, own: () => [], ask: (id) => answers[id]!() });
    expect(got.map((n) => n.missing)).toEqual([
      undefined,
      'its agent is too old to send its process list: deploy the current agent there',
      'no answer: connect ECONNREFUSED 10.0.0.3:4711',
      expect.stringMatching(/^its agent sent no usable process list: its answer\[0\]\.pid: expected a process ID/),
    ]);
    const alone = await clusterProcs([up(1), up(2)], { self: 1, own: () => undefined, ask: undefined });
    expect(alone).toEqual([
      { id: 1, host: 'n1', missing: 'this node had not read its processes yet' },
      { id: 2, host: 'n2', missing: "the collector's node is not in a cluster (no map and key installed), so it cannot ask other nodes" },
    ]);
  });

  it('keeps what the window shows, command lines cut', () => {
    const p = toHistoryProc({ pid: 5, ppid: 1, user: 'u', command: 'c', args: 'a'.repeat(1000), state: 'R', cpu: 1, rssKb: 2, nice: 5, where: 3, job: { home: 1, id: 5 } });
    expect(p).toEqual({ pid: 5, user: 'u', command: 'c', args: 'a'.repeat(ARGS_KEPT), state: 'R', cpu: 1, rssKb: 2, where: 3 });
  });
});
