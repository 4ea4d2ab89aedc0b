/**
 * The cluster processes window: every process of every node that is up in one table, a job
 * as one row on the node it runs on, with its home, where it runs, its migrations and
 * whether it can move. Sorted by any column, filtered by words, user, node and "jobs
 * only", flat or as a tree by parent; double-click (or Enter) opens the migrator. Nodes
 * that are down or did not answer are named with why, above the table.
 */
import { useCallback, useMemo, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import { useCluster } from '../../store/clusterStore.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import { openMigrator } from '../procs/ProcessBox.js';
import { useClusterProcs } from './useClusterProcs.js';
import { usersOf, type ClusterRow, type MissingNode } from './clusterRows.js';
import { DEFAULT_SORT, filterRows, nextSort, NO_FILTER, rowComparator, type ColumnKey, type ProcFilter, type SortOrder } from './procOrder.js';
import { flatRows, treeRows } from './procTree.js';
import { ClusterProcTable } from './ClusterProcTable.js';

const openRowMigrator = (r: ClusterRow) => openMigrator(r.nodeId, r.job ? r.job.ref : r.pid);

export function ClusterProcs({ bridge }: { bridge: MosixviewBridge }) {
  useWindowTitle(windowTitles.clusterProcs());
  const order = useCluster((s) => s.order);
  const { rows, missing, listed } = useClusterProcs(bridge);
  const [sort, setSort] = useState<SortOrder>(DEFAULT_SORT);
  const [filter, setFilter] = useState<ProcFilter>(NO_FILTER);
  const [tree, setTree] = useState(false);
  const [selected, setSelected] = useState<string>();
  const change = (part: Partial<ProcFilter>) => setFilter((f) => ({ ...f, ...part }));
  const onSort = useCallback((c: ColumnKey) => setSort((s) => nextSort(s, c)), []);

  const all = useMemo(() => rows ?? [], [rows]);
  const users = useMemo(() => usersOf(all), [all]);
  const shown = useMemo(() => {
    const compare = rowComparator(sort);
    const kept = filterRows(all, filter);
    return tree ? treeRows(kept, compare) : flatRows(kept.sort(compare));
  }, [all, filter, sort, tree]);
  const jobs = all.filter((r) => r.job).length;

  return (
    <main className="cluster-procs-window">
      <div className="toolbar">
        <h1>Cluster processes</h1>
        <input type="search" aria-label="Filter processes" placeholder="Filter: command, user, PID, job" value={filter.text} onChange={(e) => change({ text: e.target.value })} />
        <label>
          User{' '}
          <select aria-label="User" value={filter.user} onChange={(e) => change({ user: e.target.value })}>
            <option value="">all</option>
            {/* The chosen user stays offered while none of their processes runs. */}
            {[...new Set([...users, ...(filter.user ? [filter.user] : [])])].map((u) => <option key={u} value={u}>{u}</option>)}
          </select>
        </label>
        <label>
          Node{' '}
          <select aria-label="Node" value={filter.node ?? ''} onChange={(e) => change({ node: e.target.value === '' ? undefined : Number(e.target.value) })}>
            <option value="">all</option>
            {order.map((id) => <option key={id} value={id}>node {id}</option>)}
          </select>
        </label>
        <label><input type="checkbox" checked={filter.jobsOnly} onChange={(e) => change({ jobsOnly: e.target.checked })} /> Jobs only</label>
        <label><input type="checkbox" checked={tree} onChange={(e) => setTree(e.target.checked)} /> Tree view</label>
        <span className="muted" role="status" aria-label="Process count">
          {rows ? countText(shown.length, all.length, jobs, listed.length) : 'loading ...'}
        </span>
      </div>
      <MissingNodes missing={missing} />
      <p className="muted hint">Double-click a process (or select it and press Enter) to manage it in the migrator. Click a column&apos;s header to sort by it.</p>
      <div className="table-scroll">
        <ClusterProcTable rows={shown} sort={sort} onSort={onSort} selected={selected} onSelect={setSelected} onOpen={openRowMigrator} tree={tree} />
      </div>
    </main>
  );
}

export function countText(shown: number, total: number, jobs: number, nodes: number): string {
  const of = `${total} process${total === 1 ? '' : 'es'} (${jobs} job${jobs === 1 ? '' : 's'}) on ${nodes} node${nodes === 1 ? '' : 's'}`;
  return shown === total ? of : `${shown} shown of ${of}`;
}

/** The nodes whose processes are not in the table, each with why. */
function MissingNodes({ missing }: { missing: readonly MissingNode[] }) {
  if (missing.length === 0) return null;
  return (
    <div className="row-message missing-nodes" role="status" aria-label="Missing nodes">
      Not listed:{' '}
      {missing.map((m, i) => (
        <span key={m.nodeId}>{i > 0 ? '; ' : ''}node {m.nodeId} ({m.why})</span>
      ))}
    </div>
  );
}
