/**
 * The one router: every window is a route of the same page (shared/windows.ts builds and reads
 * them); this switches on the read route. A route that names a window without what it shows
 * (#/procs/x) says what is missing.
 */
import { useEffect, useState } from 'react';
import type { MosixviewBridge } from '../shared/protocol/api.js';
import { jobKey } from '../shared/domain/process.js';
import { parseRoute, routeString, type BadRoute, type Route } from '../shared/windows.js';
import { MainWindow } from './routes/main/MainWindow.js';
import { NodeWindow } from './routes/node/NodeWindow.js';
import { ProcessBox } from './routes/procs/ProcessBox.js';
import { ClusterProcs } from './routes/clusterProcs/ClusterProcs.js';
import { RemoteProcs } from './routes/remote/RemoteProcs.js';
import { Migrator } from './routes/migrator/Migrator.js';
import { AdvancedExecution } from './routes/exec/AdvancedExecution.js';
import { IO_WINDOW, LOAD_WINDOW, MEM_WINDOW, MetricHistoryWindow } from './history/MetricHistoryWindow.js';
import { ProcHistoryWindow } from './history/ProcHistoryWindow.js';
import { AverageWindow } from './history/AverageWindow.js';
import { AlertsWindow } from './routes/alerts/AlertsWindow.js';
import { MigrationMonitor } from './routes/monitor/MigrationMonitor.js';

/** The route of this page's hash, followed as it changes. */
export function useHashRoute(): Route | BadRoute {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

export function RouteView({ route, bridge }: { route: Route | BadRoute; bridge: MosixviewBridge }) {
  switch (route.kind) {
    case 'main':
      return <MainWindow bridge={bridge} />;
    case 'node':
      return <NodeWindow which={route.nodeId} bridge={bridge} />;
    case 'allNodes':
      return <NodeWindow which="all" bridge={bridge} />;
    case 'procs':
      return <ProcessBox nodeId={route.nodeId} bridge={bridge} />;
    case 'clusterProcs':
      return <ClusterProcs bridge={bridge} />;
    case 'remote':
      return <RemoteProcs nodeId={route.nodeId} bridge={bridge} />;
    case 'migrator': {
      const p = route.process;
      const which = 'pid' in p ? String(p.pid) : jobKey(p.job);
      return <Migrator key={`${route.nodeId}/${which}`} nodeId={route.nodeId} which={which} bridge={bridge} />;
    }
    case 'exec':
      return <AdvancedExecution bridge={bridge} initialNode={route.nodeId} />;
    // Keyed: from one metric window to the other is a new window, read afresh.
    case 'loadHistory':
      return <MetricHistoryWindow key="load" bridge={bridge} spec={LOAD_WINDOW} />;
    case 'memHistory':
      return <MetricHistoryWindow key="mem" bridge={bridge} spec={MEM_WINDOW} />;
    case 'ioHistory':
      return <MetricHistoryWindow key="io" bridge={bridge} spec={IO_WINDOW} />;
    // Keyed: a click in a history chart opens it at another moment, read afresh.
    case 'procHistory':
      return <ProcHistoryWindow key={routeString(route)} bridge={bridge} at={route.at} />;
    case 'average':
      return <AverageWindow bridge={bridge} route={route} />;
    case 'alerts':
      return <AlertsWindow bridge={bridge} />;
    case 'monitor':
      return <MigrationMonitor bridge={bridge} />;
    case 'bad':
      return <p role="alert">{route.why}</p>;
    default:
      return route satisfies never;
  }
}
