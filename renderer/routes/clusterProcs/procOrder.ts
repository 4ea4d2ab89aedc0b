/**
 * The cluster processes window's columns, their order (a click on a header sorts by it, a
 * second click turns the order round) and its filters. A job column is empty for a process
 * that is not a job: those rows come after the jobs in either direction, as an empty cell
 * says nothing about which way it would sort.
 */
import { formatKb } from '../../../shared/loadFigures.js';
import type { ClusterRow } from './clusterRows.js';

export type ColumnKey = 'node' | 'pid' | 'user' | 'state' | 'cpu' | 'mem' | 'nice' | 'command' | 'home' | 'where' | 'migrations' | 'movable';
export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  column: ColumnKey;
  direction: SortDirection;
}

export interface Column {
  key: ColumnKey;
  header: string;
  /** What the header's tooltip explains. */
  title?: string;
  numeric: boolean;
  /** The first direction of a click: the biggest first where an admin looks for the biggest. */
  firstDirection: SortDirection;
  /** The value sorted by; undefined (a job column of a process) sorts last. */
  value: (r: ClusterRow) => number | string | undefined;
  text: (r: ClusterRow) => string;
}

const num = (key: ColumnKey, header: string, value: (r: ClusterRow) => number | undefined, text: (r: ClusterRow) => string, extra: Partial<Column> = {}): Column =>
  ({ key, header, numeric: true, firstDirection: 'ascending', value, text, ...extra });
const str = (key: ColumnKey, header: string, value: (r: ClusterRow) => string | undefined, extra: Partial<Column> = {}): Column =>
  ({ key, header, numeric: false, firstDirection: 'ascending', value, text: (r) => value(r) ?? '', ...extra });

/** Where a job runs, in words: at home, on node N, or on its way. */
export function whereText(r: ClusterRow): string {
  const j = r.job;
  if (!j) return '';
  if (j.moving) return `moving ${j.moving.from} → ${j.moving.to}`;
  return j.where === 0 ? 'home' : `node ${j.where}`;
}

/** "yes", or why it cannot move ("it is locked" among the reasons). */
export function movableText(r: ClusterRow): string {
  if (!r.job) return '';
  return r.job.cantMove ?? (r.job.locked ? 'it is locked' : 'yes');
}

export const COLUMNS: readonly Column[] = [
  num('node', 'Node', (r) => r.nodeId, (r) => String(r.nodeId), { title: 'the node it runs on' }),
  num('pid', 'PID', (r) => r.pid, (r) => String(r.pid), { title: 'its PID on that node' }),
  str('user', 'User', (r) => r.user),
  str('state', 'State', (r) => r.state, { title: 'R running, S sleeping, D waiting for I/O, T stopped, Z ended' }),
  num('cpu', 'CPU %', (r) => r.cpu, (r) => r.cpu.toFixed(1), { firstDirection: 'descending', title: '% of one CPU over the last interval' }),
  num('mem', 'Memory', (r) => r.rssKb, (r) => formatKb(r.rssKb), { firstDirection: 'descending', title: 'resident memory' }),
  num('nice', 'Nice', (r) => r.nice, (r) => String(r.nice)),
  str('command', 'Command', (r) => r.command),
  num('home', 'Home', (r) => r.job?.ref.home, (r) => (r.job ? String(r.job.ref.home) : ''), { title: "a job's home node, where it was started" }),
  str('where', 'Runs on', (r) => (r.job ? whereText(r) : undefined), { title: 'home: at its home node; node N: migrated to node N' }),
  num('migrations', 'Migrations', (r) => r.job?.migrations, (r) => (r.job ? String(r.job.migrations ?? '?') : ''), { firstDirection: 'descending' }),
  str('movable', 'Can move', (r) => (r.job ? movableText(r) : undefined), { title: 'yes, or why the job cannot move (locked, its run mode, its files ...)' }),
];

export const DEFAULT_SORT: SortOrder = { column: 'node', direction: 'ascending' };

export function columnOf(key: ColumnKey): Column {
  return COLUMNS.find((c) => c.key === key)!;
}

/** A click on a column's header: sort by it (its first direction), or turn its order round. */
export function nextSort(current: SortOrder, column: ColumnKey): SortOrder {
  if (current.column === column) return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { column, direction: columnOf(column).firstDirection };
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** The order of two rows; equal values by node, then PID, so rows keep their places between updates. */
export function rowComparator(order: SortOrder): (a: ClusterRow, b: ClusterRow) => number {
  const { value } = columnOf(order.column);
  const sign = order.direction === 'ascending' ? 1 : -1;
  return (a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
    } else {
      const c = compareValues(va, vb);
      if (c !== 0) return sign * c;
    }
    return a.nodeId - b.nodeId || a.pid - b.pid;
  };
}

export function sortRows(rows: readonly ClusterRow[], order: SortOrder): ClusterRow[] {
  return [...rows].sort(rowComparator(order));
}

export interface ProcFilter {
  /** Words anywhere in the command, the user, the PID or the job's key (case ignored). */
  text: string;
  /** '' for every user. */
  user: string;
  /** undefined for every node. */
  node: number | undefined;
  jobsOnly: boolean;
}

export const NO_FILTER: ProcFilter = { text: '', user: '', node: undefined, jobsOnly: false };

export function filterRows(rows: readonly ClusterRow[], f: ProcFilter): ClusterRow[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    if (f.jobsOnly && !r.job) return false;
    if (f.user && r.user !== f.user) return false;
    if (f.node !== undefined && r.nodeId !== f.node) return false;
    if (words.length === 0) return true;
    const hay = `${r.command} ${r.user} ${r.pid} ${r.job ? `job ${r.job.key}` : ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
