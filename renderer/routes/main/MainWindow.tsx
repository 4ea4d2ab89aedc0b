import { useCluster, clusterActions } from '../../store/clusterStore.js';
import { AllNodesRow } from './AllNodesRow.js';
import { NodeRow } from './NodeRow.js';
import { HostKeyDialog } from './HostKeyDialog.js';
import { ClusterKeyDialog } from './ClusterKeyDialog.js';
import { HistoryBar } from '../../history/HistoryBar.js';
import { AlertBanner } from './AlertBanner.js';
import { openWindow } from '../../windows.js';
import { routes } from '../../../shared/windows.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';

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
        <button type="button" onClick={() => openWindow(routes.monitor(), 'monitor')}>Migration monitor</button>
      </header>
      {connection === 'lost' && <p role="alert" className="banner">Connection lost: {connectionError}</p>}
      <AlertBanner bridge={bridge} />
      <HistoryBar bridge={bridge} />
      <table className="nodes" aria-label="Cluster nodes">
        <thead>
          <tr><th>ID</th><th>Host</th><th>Speed</th><th>Load</th><th>Memory</th><th title="bytes per second, k = 1024">Disk / Network</th><th>CPUs</th></tr>
        </thead>
        <tbody>
          {order.map((id) => <NodeRow key={id} id={id} bridge={bridge} onOpenNode={openNode} />)}
        </tbody>
        <tfoot>
          <AllNodesRow />
        </tfoot>
      </table>
      <HostKeyDialog bridge={bridge} />
      <ClusterKeyDialog bridge={bridge} />
    </main>
  );
}
