/**
 * The history API in the main process: reads go to the agent on the collector's node,
 * and while the GUI runs it pushes its view of every node there once a second, so the
 * collector records the whole cluster (docs/HISTORY.md, "Where the data comes from").
 * The alerts are the collector's too (it evaluates the rules): read and changed on its node.
 */
import type { CollectorAction, CollectorChoice } from '../../shared/protocol/apiHistory.js';
import type { NodeAlerts } from '../../shared/protocol/apiAlerts.js';
import type { CollectorAnswer } from '../../shared/protocol/agentHistory.js';
import type { ApiFeature, ApiHandlers, ServiceContext } from '../core/clusterTypes.js';
import { CollectorChoiceStore } from './collectorChoice.js';
import { exportToFile } from './exportFile.js';
import { PreparedSeries } from './preparedSeries.js';

/** A page of an export is a few MB read from disk: more than a request's usual time on a busy node. */
const EXPORT_PAGE_TIMEOUT_MS = 60_000;

export const OBSERVE_INTERVAL_MS = 1000;
const STOP_TIMEOUT_MS = 30_000;

type HistoryHandlers = Pick<
  ApiHandlers,
  | 'history.collector' | 'history.setCollector' | 'history.startCollector' | 'history.stopCollector' | 'history.checkpoint'
  | 'history.rotate' | 'history.series' | 'history.prepare' | 'history.procs' | 'history.at' | 'history.export' | 'history.exportFile'
  | 'alert.list' | 'alert.set'
>;

export function makeHistoryApi(store = new CollectorChoiceStore(), intervalMs = OBSERVE_INTERVAL_MS): ApiFeature {
  return (ctx: ServiceContext): HistoryHandlers => {
    const profile = `${ctx.config.source}:${ctx.config.name}`;
    const ids = () => ctx.sessions().map((s) => s.id);
    const defaultId = () => (ids().includes(1) ? 1 : ids()[0] ?? 1);
    let nodeId = store.get(profile) ?? defaultId();
    if (!ids().includes(nodeId)) nodeId = defaultId();

    const collectorSession = () => ctx.session(nodeId);
    const prepared = new PreparedSeries();
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

    /** A node with no collector (or down) is no failure of the window: the banner says why it shows nothing. */
    const alerts = async (): Promise<NodeAlerts> => {
      try {
        return { nodeId, list: await collectorSession().request('alerts.list', null) };
      } catch (e) {
        return { nodeId, list: null, error: (e as Error).message };
      }
    };
    for (const s of ctx.sessions()) {
      s.onAgentEvent('alerts.changed', () => {
        if (s.id === nodeId) ctx.emit('alert.changed', { nodeId });
      });
    }

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
      'history.setCollector': async ({ nodeId: id }) => {
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
      'history.checkpoint': async ({ label }) => control(collectorSession().request('history.checkpoint', { label })),
      'history.rotate': async () => control(collectorSession().request('history.rotate', null)),
      'history.series': async (req) => {
        const held = prepared.take(nodeId, req);
        if (held) {
          try {
            return await held;
          } catch {
            // The prepared read failed: the window's own request says why, or succeeds now.
          }
        }
        return collectorSession().request('history.series', req);
      },
      'history.prepare': async (req) => {
        const s = collectorSession();
        prepared.prepare(nodeId, req, (q) => s.request('history.series', q));
        return null;
      },
      'history.procs': async (req) => collectorSession().request('history.procs', req),
      'history.at': async (req) => collectorSession().request('history.at', req),
      'alert.list': alerts,
      // A wrong change is the agent's EINVAL naming it: the window shows it where the admin typed.
      'alert.set': async ({ set }) => ({ nodeId, list: await collectorSession().request('alerts.set', { set }) }),
      'history.export': async (req) => collectorSession().request('history.export', req, EXPORT_PAGE_TIMEOUT_MS),
      // Every page from the node that answered the first, even if the choice changes meanwhile.
      'history.exportFile': async ({ format, export: req }) => {
        const s = collectorSession();
        return exportToFile(ctx.saveDialog, (q) => s.request('history.export', q, EXPORT_PAGE_TIMEOUT_MS), req, format);
      },
    };
  };
}

export const historyApi: ApiFeature = (ctx) => makeHistoryApi()(ctx);
