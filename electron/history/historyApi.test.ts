import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHistoryApi } from './historyApi.js';
import { CollectorChoiceStore } from './collectorChoice.js';
import type { ServiceContext } from '../core/clusterTypes.js';
import type { NodeSession } from '../core/nodeSession.js';
import { RpcError } from '../../shared/protocol/rpc.js';

function fakeCtx(ids: number[]) {
  const calls: { id: number; method: string; params: unknown }[] = [];
  const agentEvents: { id: number; event: string; cb: (d: unknown) => void }[] = [];
  const sessions = ids.map((id) => ({
    onAgentEvent: (event: string, cb: (d: unknown) => void) => agentEvents.push({ id, event, cb }),
    id,
    view: { id, host: `h${id}`, status: 'up', sample: { t: 1, load: id } },
    request: vi.fn(async (method: string, params: unknown) => {
      calls.push({ id, method, params });
      if (method === 'alerts.list' && id === 3) throw new RpcError('ENOTRUNNING', 'the collector is not running on this node');
      if (method === 'alerts.list' || method === 'alerts.set') return { rules: {}, active: [], recent: [], now: id };
      if (method === 'history.status') return { host: `h${id}`, running: true, dir: '/x', backups: [] };
      if (['history.start', 'history.stop', 'history.checkpoint', 'history.rotate'].includes(method)) {
        return { message: `${method} done on h${id}`, status: { host: `h${id}`, running: method !== 'history.stop', dir: '/x', backups: method === 'history.rotate' ? ['mosixview-20240301-120000'] : [] } };
      }
      return null;
    }),
  })) as unknown as NodeSession[];
  const emitted: unknown[] = [];
  const ctx: ServiceContext = {
    config: { name: 'lab', source: 'profile', nodes: [] },
    session: (id) => {
      const s = sessions.find((x) => x.id === id);
      if (!s) throw new RpcError('ENONODE', `no node ${id}`);
      return s;
    },
    sessions: () => sessions,
    emit: (_e, d) => emitted.push(d),
  };
  return { ctx, calls, emitted, agentEvents };
}

describe('history API (main process)', () => {
  it('reads from node 1 by default, pushes every node view to it each interval, and persists a new choice per profile', async () => {
    vi.useFakeTimers();
    const file = join(mkdtempSync(join(tmpdir(), 'mvcfg-')), 'history.json');
    const { ctx, calls, emitted } = fakeCtx([1, 2, 3]);
    const api = makeHistoryApi(new CollectorChoiceStore(file), 1000)(ctx);
    expect((await api['history.collector']!(null)).nodeId).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    const push = calls.find((c) => c.method === 'history.observe');
    expect(push?.id).toBe(1);
    expect((push?.params as { nodes: unknown[]; self: number }).nodes).toHaveLength(3);
    expect((push?.params as { self: number }).self).toBe(1);

    expect((await api['history.setCollector']!({ nodeId: 3 })).nodeId).toBe(3);
    expect(emitted).toHaveLength(1);
    calls.length = 0;
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.filter((c) => c.method === 'history.observe').map((c) => c.id)).toEqual([3]);
    await expect(api['history.setCollector']!({ nodeId: 9 })).rejects.toThrow(/no node 9/);

    // A new service on the same profile starts with the stored choice.
    const again = makeHistoryApi(new CollectorChoiceStore(file), 1000)(fakeCtx([1, 2, 3]).ctx);
    expect((await again['history.collector']!(null)).nodeId).toBe(3);
    vi.useRealTimers();
  });

  it('start, stop, checkpoint and rotate go to the collector\'s node, tell every window the new status and give the node\'s words', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvcfg-')), 'history.json');
    const { ctx, calls, emitted } = fakeCtx([1, 2]);
    const api = makeHistoryApi(new CollectorChoiceStore(file), 60_000)(ctx);
    await api['history.setCollector']!({ nodeId: 2 });
    emitted.length = 0;
    calls.length = 0;

    const rotated = await api['history.rotate']!(null);
    expect(rotated.message).toBe('history.rotate done on h2');
    expect(rotated.choice).toEqual({ nodeId: 2, status: expect.objectContaining({ backups: ['mosixview-20240301-120000'] }) });
    expect(emitted).toEqual([rotated.choice]);

    expect((await api['history.checkpoint']!({ label: 'kernel 6.1' })).message).toBe('history.checkpoint done on h2');
    expect((await api['history.startCollector']!(null)).message).toBe('history.start done on h2');
    const stopped = await api['history.stopCollector']!(null);
    expect(stopped.choice.status?.running).toBe(false);
    expect(calls.map((c) => [c.id, c.method, c.params])).toEqual([
      [2, 'history.rotate', null],
      [2, 'history.checkpoint', { label: 'kernel 6.1' }],
      [2, 'history.start', null],
      [2, 'history.stop', null],
    ]);
  });

  it('alerts are read and changed on the collector\'s node; its alerts.changed tells the windows, another node\'s does not', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvcfg-')), 'history.json');
    const { ctx, calls, emitted, agentEvents } = fakeCtx([1, 2, 3]);
    const api = makeHistoryApi(new CollectorChoiceStore(file), 60_000)(ctx);
    await api['history.setCollector']!({ nodeId: 2 });
    emitted.length = 0;
    calls.length = 0;
    expect(await api['alert.list']!(null)).toEqual({ nodeId: 2, list: { rules: {}, active: [], recent: [], now: 2 } });
    expect(await api['alert.set']!({ set: ['load.percent=50'] })).toMatchObject({ nodeId: 2 });
    expect(calls.map((c) => [c.id, c.method, c.params])).toEqual([[2, 'alerts.list', null], [2, 'alerts.set', { set: ['load.percent=50'] }]]);
    for (const e of agentEvents.filter((x) => x.event === 'alerts.changed')) e.cb({ raised: 1, cleared: 0 });
    expect(emitted).toEqual([{ nodeId: 2 }]);
    // A node whose collector does not run: the banner is told why, not failed.
    await api['history.setCollector']!({ nodeId: 3 });
    expect(await api['alert.list']!(null)).toEqual({ nodeId: 3, list: null, error: 'the collector is not running on this node' });
  });

  it('export pages come from the collector\'s node; a file is saved only where the app has a save dialog', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvcfg-')), 'history.json');
    const { ctx, calls } = fakeCtx([1, 2]);
    const api = makeHistoryApi(new CollectorChoiceStore(file), 60_000)(ctx);
    await api['history.setCollector']!({ nodeId: 2 });
    calls.length = 0;
    const page = { family: 'load' as const, from: 1000, to: 5000, nodes: [1], after: 2000 };
    await api['history.export']!(page);
    expect(calls.map((c) => [c.id, c.method, c.params])).toEqual([[2, 'history.export', page]]);
    // Headless: no dialog, so the window downloads instead; nothing is asked of the node.
    calls.length = 0;
    await expect(api['history.exportFile']!({ format: 'csv', export: { family: 'load', from: 1000, to: 5000 } })).rejects.toThrow(/in a browser the export is a download/);
    expect(calls).toEqual([]);
  });

  it("answers a window's first read from what its opener prepared: the collector's agent is asked once, a failed preparation is asked again", async () => {
    const { ctx, calls } = fakeCtx([1, 2]);
    const api = makeHistoryApi(new CollectorChoiceStore(join(mkdtempSync(join(tmpdir(), 'mvcfg-')), 'history.json')), 1000)(ctx);
    const first = { recorded: true, buckets: 900, metrics: ['load' as const] };
    const reads = () => calls.filter((c) => c.method === 'history.series' || c.method === 'history.prepare').map((c) => [c.id, c.method, c.params]);
    expect(await api['history.prepare']!({ buckets: 900, metrics: ['load'] })).toBeNull();
    await api['history.series']!(first);
    expect(reads()).toEqual([[1, 'history.series', first]]);
    // Taken once: the same request again (a second window) and other columns go to the agent.
    await api['history.series']!(first);
    await api['history.series']!({ ...first, buckets: 800 });
    expect(reads()).toHaveLength(3);

    calls.length = 0;
    const s1 = ctx.session(1) as unknown as { request: ReturnType<typeof vi.fn> };
    s1.request.mockClear();
    s1.request.mockRejectedValueOnce(new RpcError('ETIMEDOUT', 'no answer'));
    await api['history.prepare']!({ buckets: 900, metrics: ['load'] });
    await api['history.series']!(first);
    expect(reads()).toEqual([[1, 'history.series', first]]); // the rejected one was not recorded by the fake; the second is the window's own
    expect(s1.request).toHaveBeenCalledTimes(2);
  });
});
