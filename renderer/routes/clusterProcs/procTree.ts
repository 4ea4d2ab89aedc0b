/**
 * The tree view: each process under its parent on the same node (PIDs are per node), the
 * children of one parent, and the top level, in the chosen sort order. A process whose
 * parent is not among the rows (filtered out, or not listed: a job's unshare) is at the top.
 */
import type { ClusterRow } from './clusterRows.js';

export interface TreeRow {
  row: ClusterRow;
  /** 1 at the top level, as aria-level counts. */
  level: number;
}

const at = (nodeId: number, pid: number) => `${nodeId}:${pid}`;

export function treeRows(rows: readonly ClusterRow[], compare: (a: ClusterRow, b: ClusterRow) => number): TreeRow[] {
  const byPid = new Map(rows.map((r) => [at(r.nodeId, r.pid), r]));
  const children = new Map<ClusterRow, ClusterRow[]>();
  const roots: ClusterRow[] = [];
  for (const r of rows) {
    const parent = r.parentPid !== r.pid ? byPid.get(at(r.nodeId, r.parentPid)) : undefined;
    if (!parent) roots.push(r);
    else {
      const list = children.get(parent);
      if (list) list.push(r);
      else children.set(parent, [r]);
    }
  }
  const out: TreeRow[] = [];
  const placed = new Set<ClusterRow>();
  const walk = (r: ClusterRow, level: number) => {
    if (placed.has(r)) return;
    placed.add(r);
    out.push({ row: r, level });
    for (const c of (children.get(r) ?? []).sort(compare)) walk(c, level + 1);
  };
  for (const r of roots.sort(compare)) walk(r, 1);
  // Parents that are each other's (a PID reused between two reads of /proc): still listed, at the top.
  for (const r of [...rows].sort(compare)) walk(r, 1);
  return out;
}

/** The flat list, for the table without the tree: everything at the top level. */
export function flatRows(rows: readonly ClusterRow[]): TreeRow[] {
  return rows.map((row) => ({ row, level: 1 }));
}
