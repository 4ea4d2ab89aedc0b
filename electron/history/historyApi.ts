/**
 * The history API in the main process: reads go to the agent on the collector's node,
 * and while the GUI runs it pushes its view of every node there once a second, so the
 * collector records the whole cluster (docs/HISTORY.md, "Where the data comes from").
 */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from '../core/clusterService.js';
import { nodeIdParam } from '../core/params.js';
import { CollectorChoiceStore } from './collectorChoice.js';

export const OBSERVE_INTERVAL_MS = 1000;

type HistoryHandlers = Pick<ApiHandlers, 'history.collector' | 'history.setCollector' | 'history.startCollector' | 'history.series' | 'history.procs' | 'history.at'>;

export function makeHistoryApi(store = new CollectorChoiceStore(), intervalMs = OBSERVE_INTERVAL_MS): ApiFeature {
  return (ctx: ServiceContext): HistoryHandlers => {
    const profile = `${ctx.config.source}:${ctx.config.name}`;
    const ids = () => ctx.sessions().map((s) => s.id);
    const defaultId = () => (ids().includes(1) ? 1 : ids()[0] ?? 1);
    let nodeId = store.get(profile) ?? defaultId();
    if (!ids().includes(nodeId)) nodeId = defaultId();

    const collectorSession = () => ctx.session(nodeId);
    const choice = async (): Promise<CollectorChoice> => {
      try {
        return { nodeId, status: await collectorSession().request('history.status', null) };
      } catch (e) {
        return { nodeId, status: null, error: (e as Error).message };
      }
    };

    const timer = setInterval(() => {
      const s = ctx.sessions().find((x) => x.id === nodeId);
      if (!s || s.view.status !== 'up') return;
      const nodes = ctx.sessions().map((x) => ({ id: x.id, host: x.view.host, status: x.view.status, ...(x.view.sample ? { sample: x.view.sample } : {}) }));
      // An agent without the history feature answers ENOMETHOD: nothing to push to.
      s.request('history.observe', { self: nodeId, nodes }).catch(() => undefined);
    }, intervalMs);
    timer.unref?.();

    return {
      'history.collector': choice,
      'history.setCollector': async (req) => {
        const id = nodeIdParam(req);
        ctx.session(id); // throws ENONODE for a node not in the map
        nodeId = id;
        store.set(profile, id);
        const c = await choice();
        ctx.emit('history.collectorChanged', c);
        return c;
      },
      'history.startCollector': async () => {
        await collectorSession().request('history.start', null);
        const c = await choice();
        ctx.emit('history.collectorChanged', c);
        return c;
      },
      'history.series': async (req) => {
        if (!req || typeof req !== 'object') throw new RpcError('EINVAL', 'history.series needs { buckets, metrics }');
        return collectorSession().request('history.series', req);
      },
      'history.procs': async (req) => collectorSession().request('history.procs', req ?? {}),
      'history.at': async (req) => {
        if (!req || typeof req.t !== 'number') throw new RpcError('EINVAL', 'history.at needs { t } (ms)');
        return collectorSession().request('history.at', req);
      },
    };
  };
}

export const historyApi: ApiFeature = (ctx) => makeHistoryApi()(ctx);
