import { useCluster, clusterActions } from '../../store/clusterStore.js';
import { clusterEfficiency } from '../../../shared/loadFigures.js';
import { Bar } from '../../components/Bar.js';
import { NodeRow } from './NodeRow.js';
import { HostKeyDialog } from './HostKeyDialog.js';
import { ClusterKeyDialog } from './ClusterKeyDialog.js';
import { HistoryBar } from '../../history/HistoryBar.js';
import { AlertBanner } from './AlertBanner.js';
import { openWindow } from '../../windows.js';
import { routes } from '../../../shared/windows.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';

const selectEfficiency = (s: ReturnType<typeof useCluster.getState>) => {
  const e = clusterEfficiency(Object.values(s.nodes));
  return e === undefined ? undefined : Math.round(e);
};
const selectTotalCpus = (s: ReturnType<typeof useCluster.getState>) =>
  Object.values(s.nodes).reduce((sum, n) => sum + (n.status === 'up' ? n.sample?.cpus ?? 0 : 0), 0);

/** Stable across renders, so the memoised rows do not re-render when the window does. */
const openNode = (id: number) => openWindow(routes.node(id), `node-${id}`);

/** Mosixview's main window: a row per node in map order, then "all nodes" and the balance. */
export function MainWindow({ bridge }: { bridge: MosixviewBridge }) {
  const order = useCluster((s) => s.order);
  const name = useCluster((s) => s.name);
  const mode = useCluster((s) => s.mode);
  const replaying = mode === 'replay';
  const pastNote = replaying ? 'The rows show the past: press Live first' : undefined;
  const nslookup = useCluster((s) => s.nslookup);
  const connection = useCluster((s) => s.connection);
  const connectionError = useCluster((s) => s.connectionError);
  const efficiency = useCluster(selectEfficiency);
  const totalCpus = useCluster(selectTotalCpus);
  useWindowTitle(windowTitles.main(name || undefined));

  const refresh = async () => clusterActions.applySnapshot(await bridge.invoke('cluster.refresh', null));

  return (
    <main className="main-window">
      <header className="toolbar">
        <h1>Mosixview <span className="cluster-name">{name}</span></h1>
        <label>
          <input type="checkbox" checked={mode === 'live'} disabled={replaying} title={pastNote} onChange={(e) => {
            if (!e.target.checked) return clusterActions.pause();
            clusterActions.resume();
            void refresh();
          }} />
          Autorefresh
        </label>
        <button type="button" onClick={() => void refresh()} disabled={replaying} title={pastNote}>Refresh</button>
        <button type="button" onClick={() => openWindow(routes.alerts(), 'alerts')}>Alerts</button>
        <label>
          <input type="checkbox" checked={nslookup} onChange={(e) => clusterActions.setNslookup(e.target.checked)} />
          nslookup
        </label>
        <button type="button" onClick={() => openWindow(routes.clusterProcs(), 'cluster-procs')}>Cluster processes</button>
      </header>
      {connection === 'lost' && <p role="alert" className="banner">Connection lost: {connectionError}</p>}
      <AlertBanner bridge={bridge} />
      <HistoryBar bridge={bridge} />
      <table className="nodes" aria-label="Cluster nodes">
        <thead>
          <tr><th>ID</th><th>Host</th><th>Speed</th><th>Load</th><th>Memory</th><th>CPUs</th></tr>
        </thead>
        <tbody>
          {order.map((id) => <NodeRow key={id} id={id} bridge={bridge} onOpenNode={openNode} />)}
        </tbody>
        <tfoot>
          <tr className="all-nodes">
            <td />
            <td><button type="button" onClick={() => openWindow(routes.allNodes(), 'node-all')}>All nodes</button></td>
            <td colSpan={3} className="balance-cell">
              <Bar label="Load-balancing efficiency" percent={efficiency} text={efficiency === undefined ? 'no node up' : `${efficiency}% balanced`} />
            </td>
            <td className="cpus" aria-label="CPUs of all nodes">{totalCpus}</td>
          </tr>
        </tfoot>
      </table>
      <HostKeyDialog bridge={bridge} />
      <ClusterKeyDialog bridge={bridge} />
    </main>
  );
}
