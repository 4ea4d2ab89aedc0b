/**
 * Keeps the admin's place in a scrolled table across live updates: the row at the top of the
 * scrolling box stays where it was when rows come or go above it. The browser's own scroll
 * anchoring did not always do it for these table rows (clusterProcesses.spec saw the view
 * shift by one row when a process started above it), so the box has `overflow-anchor: none`
 * and this does it alone: the top row and its offset are noted on every scroll and after
 * every update, and after an update the box is scrolled by however far that row moved.
 */
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

interface Place {
  key: string;
  offset: number;
}

const SCROLLER = '.table-scroll';
const ROW_SELECTOR = 'tr[data-key]';

/** The top edge of what the box shows under its (sticky) header. */
function viewTop(box: HTMLElement): number {
  return box.getBoundingClientRect().top + (box.querySelector('thead')?.getBoundingClientRect().height ?? 0);
}

function rowOf(body: HTMLElement, key: string): HTMLElement | undefined {
  return [...body.querySelectorAll<HTMLElement>(ROW_SELECTOR)].find((el) => el.dataset.key === key);
}

/** The first row not wholly above the view, and how far its top is from the view's top (px). */
function placeIn(box: HTMLElement, body: HTMLElement): Place | undefined {
  if (box.scrollTop <= 0) return undefined; // at the top the admin stays at the top, new rows and all
  const top = viewTop(box);
  const first = [...body.querySelectorAll<HTMLElement>(ROW_SELECTOR)].find((tr) => tr.getBoundingClientRect().bottom > top + 1);
  return first?.dataset.key ? { key: first.dataset.key, offset: first.getBoundingClientRect().top - top } : undefined;
}

export function useKeepScrollPlace(body: RefObject<HTMLElement | null>): void {
  const place = useRef<Place | undefined>(undefined);

  useLayoutEffect(() => {
    const box = body.current?.closest<HTMLElement>(SCROLLER);
    if (!box || !body.current) return;
    const was = place.current;
    const row = was && rowOf(body.current, was.key);
    if (was && row) {
      const moved = row.getBoundingClientRect().top - viewTop(box) - was.offset;
      if (Math.abs(moved) >= 1) box.scrollTop += moved;
    }
    place.current = placeIn(box, body.current);
  });

  useEffect(() => {
    const box = body.current?.closest<HTMLElement>(SCROLLER);
    if (!box) return;
    const note = () => {
      if (body.current) place.current = placeIn(box, body.current);
    };
    box.addEventListener('scroll', note, { passive: true });
    return () => box.removeEventListener('scroll', note);
  }, [body]);
}
