import { useCluster, type ClusterState } from '../../store/clusterStore.js';
import { clusterEfficiency } from '../../../shared/loadFigures.js';
import { Bar } from '../../components/Bar.js';
import { openWindow } from '../../windows.js';
import { routes } from '../../../shared/windows.js';

const selectEfficiency = (s: ClusterState) => {
  const e = clusterEfficiency(Object.values(s.nodes));
  return e === undefined ? undefined : Math.round(e);
};
const selectTotalCpus = (s: ClusterState) =>
  Object.values(s.nodes).reduce((sum, n) => sum + (n.status === 'up' ? n.sample?.cpus ?? 0 : 0), 0);

/**
 * The main window's last row: "All nodes", the balance and the cluster's CPUs. Its own component,
 * so the figures of all nodes together, which change with nearly every update, re-render this
 * row alone and not the window with its 128 rows.
 */
export function AllNodesRow() {
  const efficiency = useCluster(selectEfficiency);
  const totalCpus = useCluster(selectTotalCpus);
  return (
    <tr className="all-nodes">
      <td />
      <td><button type="button" onClick={() => openWindow(routes.allNodes(), 'node-all')}>All nodes</button></td>
      <td colSpan={3} className="balance-cell">
        <Bar label="Load-balancing efficiency" percent={efficiency} text={efficiency === undefined ? 'no node up' : `${efficiency}% balanced`} />
      </td>
      <td />
      <td className="cpus" aria-label="CPUs of all nodes">{totalCpus}</td>
    </tr>
  );
}
