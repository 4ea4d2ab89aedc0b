/**
 * The table of the cluster processes window. A header is a button: click it, or Enter or
 * Space on it, to sort by its column (again: the other way round); the sorted header has
 * aria-sort. A row is selected by a click or the arrow keys (Home, End, Page Up/Down), and
 * double-click or Enter opens the migrator of its process. Rows are keyed by the process
 * (a job by its identity), so a live update keeps the selection, the focus and the scroll.
 */
import { memo, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { COLUMNS, type ColumnKey, type SortOrder } from './procOrder.js';
import { rowLabel, type ClusterRow } from './clusterRows.js';
import type { TreeRow } from './procTree.js';
import { stepOfKey, stepSelection } from './liveRows.js';
import { useKeepScrollPlace } from './useKeepScrollPlace.js';

interface TableProps {
  rows: readonly TreeRow[];
  sort: SortOrder;
  onSort: (column: ColumnKey) => void;
  selected: string | undefined;
  onSelect: (key: string) => void;
  onOpen: (row: ClusterRow) => void;
  tree: boolean;
}

const ROW_SELECTOR = 'tr[data-key]';

/** How many rows Page Down moves: the rows the scrolling box around the table shows, less one. */
function pageRows(body: HTMLTableSectionElement | null): number {
  const box = body?.closest('.table-scroll');
  const row = body?.querySelector(ROW_SELECTOR);
  const rowHeight = row?.getBoundingClientRect().height || 20;
  return Math.max(1, Math.floor((box?.clientHeight ?? 0) / rowHeight) - 1);
}

export function ClusterProcTable({ rows, sort, onSort, selected, onSelect, onOpen, tree }: TableProps) {
  const body = useRef<HTMLTableSectionElement>(null);
  useKeepScrollPlace(body);
  /** Whether the admin's focus is on a row: a row moved by an update is focused again. */
  const rowFocused = useRef(false);
  const keys = rows.map((r) => r.row.key);
  const focusKey = selected !== undefined && keys.includes(selected) ? selected : keys[0];

  const rowEl = (key: string | undefined) =>
    key === undefined ? undefined : [...(body.current?.querySelectorAll<HTMLElement>(ROW_SELECTOR) ?? [])].find((el) => el.dataset.key === key);

  // Reordering rows moves their elements, and a moved element loses the focus: give it back.
  // Only to the selected row: focusing another would select it, and a job missing from one
  // update (between two nodes' answers, mid-migration) would lose the admin's selection.
  useLayoutEffect(() => {
    if (!rowFocused.current || body.current?.contains(document.activeElement)) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    rowEl(selected ?? focusKey)?.focus({ preventScroll: true });
  });
  // A press or a focus anywhere else ends "the focus is on a row".
  useEffect(() => {
    const away = (e: Event) => {
      if (!body.current?.contains(e.target as Node)) rowFocused.current = false;
    };
    window.addEventListener('pointerdown', away, true);
    window.addEventListener('focusin', away, true);
    return () => {
      window.removeEventListener('pointerdown', away, true);
      window.removeEventListener('focusin', away, true);
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      const r = rows.find((x) => x.row.key === focusKey)?.row;
      if (r) {
        e.preventDefault();
        onOpen(r);
      }
      return;
    }
    const step = stepOfKey(e.key);
    if (!step) return;
    e.preventDefault();
    const to = stepSelection(keys, selected, step, pageRows(body.current));
    if (to === undefined) return;
    onSelect(to);
    const el = rowEl(to);
    el?.focus({ preventScroll: true });
    el?.scrollIntoView?.({ block: 'nearest' });
  };

  return (
    <table className="procs proc-table cluster-procs" aria-label="Cluster processes">
      <thead>
        <tr>
          {COLUMNS.map((c) => {
            const sorted = sort.column === c.key;
            return (
              <th key={c.key} aria-sort={sorted ? sort.direction : undefined} className={c.numeric ? 'num' : undefined} title={c.title}>
                <button type="button" className="sort-button" onClick={() => onSort(c.key)}>
                  {c.header}
                  <span aria-hidden="true" className="sort-mark">{sorted ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody ref={body} onKeyDown={onKeyDown} onFocus={() => (rowFocused.current = true)}>
        {rows.map((t) => (
          <Row key={t.row.key} row={t.row} level={tree ? t.level : undefined} selected={t.row.key === selected} tabbable={t.row.key === focusKey} onSelect={onSelect} onOpen={onOpen} />
        ))}
      </tbody>
    </table>
  );
}

interface RowProps {
  row: ClusterRow;
  level: number | undefined;
  selected: boolean;
  tabbable: boolean;
  onSelect: (key: string) => void;
  onOpen: (row: ClusterRow) => void;
}

/** One process; drawn again only when its figures, its place in the tree or its selection change. */
const Row = memo(function Row({ row, level, selected, tabbable, onSelect, onOpen }: RowProps) {
  const cls = `proc-row${row.job && row.job.where !== 0 ? ' proc-migrated' : ''}${selected ? ' selected' : ''}`;
  return (
    <tr
      data-key={row.key}
      aria-label={rowLabel(row)}
      aria-selected={selected}
      aria-level={level}
      className={cls}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onSelect(row.key)}
      onFocus={() => onSelect(row.key)}
      onDoubleClick={() => onOpen(row)}
    >
      {COLUMNS.map((c) => {
        const text = c.text(row);
        if (c.key === 'command') {
          const child = level !== undefined && level > 1;
          return <td key={c.key} className={child ? 'cmd tree-child' : 'cmd'} title={text} style={child ? { paddingLeft: `${0.5 + (level - 1) * 1.2}em` } : undefined}>{text}</td>;
        }
        return <td key={c.key} className={c.numeric ? 'num' : c.key === 'movable' ? 'why' : undefined} title={c.key === 'movable' ? text : undefined}>{text}</td>;
      })}
    </tr>
  );
});
