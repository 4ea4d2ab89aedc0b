/** Rows for the cluster processes tests, each field given or a plain default. */
import type { ClusterRow, JobFacts } from './clusterRows.js';

export function row(over: Partial<ClusterRow> & Pick<ClusterRow, 'nodeId' | 'pid'>): ClusterRow {
  return { key: `p${over.nodeId}:${over.pid}`, parentPid: 1, user: 'root', state: 'S', cpu: 0, rssKb: 1000, nice: 0, command: `cmd${over.pid}`, ...over };
}

export function jobRow(home: number, id: number, over: Partial<ClusterRow> & Pick<ClusterRow, 'nodeId' | 'pid'>, job: Partial<JobFacts> = {}): ClusterRow {
  const ref = { home, id };
  return row({ key: `j${home}.${id}`, ...over, job: { ref, key: `${home}.${id}`, where: over.nodeId === home ? 0 : over.nodeId, locked: false, migrations: 0, ...job } });
}
