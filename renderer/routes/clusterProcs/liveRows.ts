/**
 * Live updates that keep the admin's place: the selection is a row's key (a job's follows it
 * from node to node), and a row that did not change is the same object as before, so its
 * line in the table is not drawn again (the table keeps its scroll position and focus).
 */
import type { ClusterRow, JobFacts } from './clusterRows.js';

function sameJob(a: JobFacts | undefined, b: JobFacts | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.key === b.key && a.where === b.where && a.migrations === b.migrations && a.locked === b.locked && a.cantMove === b.cantMove &&
    a.moving?.from === b.moving?.from && a.moving?.to === b.moving?.to
  );
}

export function sameRow(a: ClusterRow, b: ClusterRow): boolean {
  return (
    a.key === b.key && a.nodeId === b.nodeId && a.pid === b.pid && a.parentPid === b.parentPid && a.user === b.user && a.state === b.state &&
    a.cpu === b.cpu && a.rssKb === b.rssKb && a.nice === b.nice && a.command === b.command && sameJob(a.job, b.job)
  );
}

/** `next`, with each row that equals its previous self replaced by that previous object. */
export function reuseUnchanged(prev: readonly ClusterRow[], next: readonly ClusterRow[]): ClusterRow[] {
  const before = new Map(prev.map((r) => [r.key, r]));
  return next.map((r) => {
    const old = before.get(r.key);
    return old && sameRow(old, r) ? old : r;
  });
}

export type SelectionStep = 'next' | 'previous' | 'first' | 'last' | 'pageDown' | 'pageUp';

/**
 * The key selected after a key press in a list of shown keys; with nothing selected (or the
 * selection filtered out) the first row. `page` is how many rows a page holds.
 */
export function stepSelection(keys: readonly string[], selected: string | undefined, step: SelectionStep, page = 10): string | undefined {
  if (keys.length === 0) return selected;
  const i = selected === undefined ? -1 : keys.indexOf(selected);
  if (i < 0) return step === 'last' ? keys[keys.length - 1] : keys[0];
  const to = {
    next: i + 1,
    previous: i - 1,
    first: 0,
    last: keys.length - 1,
    pageDown: i + page,
    pageUp: i - page,
  }[step];
  return keys[Math.max(0, Math.min(keys.length - 1, to))];
}

/** The step a key asks for, or undefined for keys the list leaves alone. */
export function stepOfKey(key: string): SelectionStep | undefined {
  switch (key) {
    case 'ArrowDown': return 'next';
    case 'ArrowUp': return 'previous';
    case 'Home': return 'first';
    case 'End': return 'last';
    case 'PageDown': return 'pageDown';
    case 'PageUp': return 'pageUp';
    default: return undefined;
  }
}
