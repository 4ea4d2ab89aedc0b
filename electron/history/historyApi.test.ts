import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHistoryApi } from './historyApi.js';
import { CollectorChoiceStore } from './collectorChoice.js';
import type { ServiceContext } from '../core/clusterService.js';
import type { NodeSession } from '../core/nodeSession.js';
import { RpcError } from '../../shared/protocol/rpc.js';

function fakeCtx(ids: number[]) {
  const calls: { id: number; method: string; params: unknown }[] = [];
  const sessions = ids.map((id) => ({
    id,
    view: { id, host: `h${id}`, status: 'up', sample: { t: 1, load: id } },
    request: vi.fn(async (method: string, params: unknown) => {
      calls.push({ id, method, params });
      return method === 'history.status' ? { host: `h${id}`, running: true, dir: '/x', backups: [] } : null;
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
  return { ctx, calls, emitted };
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
});
