/**
 * The daemon's part of the alerts (the rules run in the collector, agent/collector/alerts/):
 * it keeps the events only the agent sees (a migration this node drove failed, the load
 * exchange refused forged or replayed datagrams) for the collector to read once a second,
 * tells where they stand in the load exchange (the balancer's entry carries own.mark()),
 * and, on the collector's node, gathers the other nodes' such events for it (peerEventPull.ts),
 * relays mosctl's and the GUI's reads and changes to the collector on this node, and tells
 * its GUI sessions when the collector raised or cleared an alert.
 */
import { jobKey } from '../../shared/domain/process.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ExchangeStats } from '../../shared/protocol/peer.js';
import type { MigrationProgress } from '../../shared/jobs/migrationProgress.js';
import type { AlertEvent } from '../../shared/alerts/alertEvents.js';
import type { DaemonServices } from '../daemon/services.js';
import { defineFeature, type DaemonContext, type PartsProviding } from '../daemon/feature.js';
import { collectorPaths } from '../collector/config.js';
import { collectorRequest, type CollectorRequests } from '../collector/control.js';
import { runningCollector } from '../collector/pidFile.js';
import { refusalEvents, EventLog } from './alertEventLog.js';
import { PeerEventPull } from './peerEventPull.js';

/** A collector reads its agent's events once a second: one that has not read for this long is gone. */
const COLLECTOR_READS_WITHIN_MS = 5000;
/** A peer's answer is awaited about a sample's time (a slow one is not asked again until it answers). */
const PEER_EVENTS_TIMEOUT_MS = 900;

function buildAlerts(ctx: DaemonContext, services: Readonly<DaemonServices>): PartsProviding<'alertEvents'> {
  const paths = collectorPaths(ctx.paths);
  /** This node's own events, served to a collector elsewhere. */
  const own = new EventLog();
  /** Its own and those gathered from the other nodes, for a collector on this node. */
  const log = new EventLog();
  const addOwn = (e: Omit<AlertEvent, 'seq'>) => {
    own.add(e);
    log.add(e);
  };
  const self = () => ctx.peers.membership?.selfId ?? 0;
  let collectorReadAt = -Infinity;
  const pull = new PeerEventPull((node, since, boot) => {
    const net = ctx.peers.net;
    if (!net) return Promise.reject(new Error('not in a cluster'));
    return net.request(node, 'alerts.events', boot === undefined ? { since } : { since, boot }, PEER_EVENTS_TIMEOUT_MS);
  }, (e) => log.add(e));
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
          addOwn({ rule: 'migrationFailed', node: self(), text: `job ${jobKey(p.ref)} did not move from node ${p.from} to node ${p.to}: ${p.message ?? 'no reason given'}` });
        },
        mark: () => own.mark(),
      },
    },
    onSample: () => {
      const info = ctx.peers.traffic();
      const forged = new Map(info.peers.map((p) => [p.address, p.forged]));
      if (lastStats) for (const e of refusalEvents(lastStats, info.exchange, lastForged, info.peers)) addOwn({ ...e, node: self() });
      lastStats = { ...info.exchange };
      lastForged = forged;
      if (performance.now() - collectorReadAt < COLLECTOR_READS_WITHIN_MS) {
        // Each with the mark its exchange entry told: only those whose events moved are asked.
        const peers = (services.clusterView?.view() ?? []).filter((n) => n.up && !n.self).map((n) => ({ node: n.node, mark: n.alertLog }));
        void pull.pull(peers);
      } else {
        pull.forget();
      }
    },
    peerHandlers: {
      'alerts.events': ({ since, boot }) => own.since(since, boot),
    },
    handlers: {
      'alerts.inputs': ({ since }) => {
        collectorReadAt = performance.now();
        const { events, next } = log.since(since);
        return { events, next };
      },
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

