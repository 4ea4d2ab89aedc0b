/**
 * The history API in the main process: reads go to the agent on the collector's node,
 * and while the GUI runs it pushes its view of every node there once a second, so the
 * collector records the whole cluster (docs/HISTORY.md, "Where the data comes from").
 */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { CollectorAction, CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { CHECKPOINT_LABEL_MAX, type CollectorAnswer } from '../../shared/protocol/agentHistory.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from '../core/clusterService.js';
import { nodeIdParam } from '../core/params.js';
import { CollectorChoiceStore } from './collectorChoice.js';

export const OBSERVE_INTERVAL_MS = 1000;
const STOP_TIMEOUT_MS = 30_000;

type HistoryHandlers = Pick<
  ApiHandlers,
  | 'history.collector' | 'history.setCollector' | 'history.startCollector' | 'history.stopCollector' | 'history.checkpoint'
  | 'history.rotate' | 'history.series' | 'history.procs' | 'history.at'
>;

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

    /** Every window learns the new status (a rotation adds a backup to the File menus); the caller gets the words too. */
    const control = async (asked: Promise<CollectorAnswer>): Promise<CollectorAction> => {
      const { message, status } = await asked;
      const c: CollectorChoice = { nodeId, status };
      ctx.emit('history.collectorChanged', c);
      return { message, choice: c };
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
      'history.startCollector': async () => control(collectorSession().request('history.start', null)),
      // Stopping waits up to 10 s for the collector's last write, then kills it: more than a request's usual time.
      'history.stopCollector': async () => control(collectorSession().request('history.stop', null, STOP_TIMEOUT_MS)),
      'history.checkpoint': async (req) => {
        const label = (req as { label?: unknown } | null)?.label;
        if (typeof label !== 'string' || label.length > CHECKPOINT_LABEL_MAX) {
          throw new RpcError('EINVAL', `history.checkpoint needs { label }: a text of at most ${CHECKPOINT_LABEL_MAX} characters (may be empty)`);
        }
        return control(collectorSession().request('history.checkpoint', { label }));
      },
      'history.rotate': async () => control(collectorSession().request('history.rotate', null)),
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
