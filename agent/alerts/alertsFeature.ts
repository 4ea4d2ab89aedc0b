/**
 * The daemon's part of the alerts (the rules run in the collector, agent/collector/alerts/):
 * it keeps the events only the agent sees (a migration this node drove failed, the load
 * exchange refused forged or replayed datagrams) for the collector to read once a second,
 * relays mosctl's and the GUI's reads and changes to the collector on this node, and tells
 * its GUI sessions when the collector raised or cleared an alert.
 */
import { jobKey } from '../../shared/domain/process.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ExchangeStats } from '../../shared/protocol/peer.js';
import type { MigrationProgress } from '../../shared/jobs/migrationProgress.js';
import { defineFeature, type DaemonContext, type PartsProviding } from '../daemon/feature.js';
import { collectorPaths } from '../collector/config.js';
import { collectorRequest, type CollectorRequests } from '../collector/control.js';
import { runningCollector } from '../collector/pidFile.js';
import { refusalEvents, EventLog } from './alertEventLog.js';

function buildAlerts(ctx: DaemonContext): PartsProviding<'alertEvents'> {
  const paths = collectorPaths(ctx.paths);
  const log = new EventLog();
  const self = () => ctx.peers.membership?.selfId ?? 0;
  let lastStats: ExchangeStats | undefined;
  let lastForged = new Map<string, number>();

  /** mosctl alerts and the GUI ask the collector through here: nodes cannot reach its socket. */
  const ask = async <K extends 'alerts' | 'alerts.set'>(method: K, params: CollectorRequests[K]['req']): Promise<CollectorRequests[K]['res']> => {
    if (runningCollector(paths.pidFile) === undefined) {
      throw new RpcError('ENOTRUNNING', 'the collector is not running on this node, and it is the collector that evaluates the alert rules: start it with "mosixcollector -d" (or in the GUI: Collector, Start), or ask the node that runs it');
    }
    return collectorRequest(paths.socket, method, params).catch((e: unknown) => {
      if (e instanceof RpcError) throw e;
      throw new RpcError('ENOTRUNNING', `the collector on this node does not answer: ${(e as Error).message}; restart it with "mosixcollector -k" then "mosixcollector -d"`);
    });
  };

  return {
    services: {
      alertEvents: {
        migrationFailed: (p: MigrationProgress) => {
          log.add({ rule: 'migrationFailed', node: self(), text: `job ${jobKey(p.ref)} did not move from node ${p.from} to node ${p.to}: ${p.message ?? 'no reason given'}` });
        },
      },
    },
    onSample: () => {
      const info = ctx.peers.info();
      const forged = new Map(info.peers.map((p) => [p.address, p.forged]));
      if (lastStats) for (const e of refusalEvents(lastStats, info.exchange, lastForged, info.peers)) log.add({ ...e, node: self() });
      lastStats = { ...info.exchange };
      lastForged = forged;
    },
    handlers: {
      'alerts.inputs': ({ since }) => log.since(since),
      'alerts.list': () => ask('alerts', null),
      'alerts.set': ({ set }) => ask('alerts.set', { set }),
      'alerts.report': (c) => {
        ctx.broadcast('alerts.changed', c);
        return null;
      },
    },
  };
}

export const alertsFeature = defineFeature({ name: 'alerts', provides: ['alertEvents'], build: buildAlerts });

