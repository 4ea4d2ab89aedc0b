/**
 * Whether a row is out of sight: such a row need not re-render on every new figure (rowFigures.ts says
 * how often it still does, for screen readers). At 128 nodes some 22
 * rows fit the window, yet every row re-rendered each second, and the ~35 rows the browser keeps drawn
 * around the window (`content-visibility: auto` skips only rows beyond about 1.5 windows) were restyled,
 * laid out and painted too. One observer for all rows; a row counts as in sight a little before it is
 * (ROW_SIGHT_MARGIN), so one scrolled into view has its figures already.
 * Where there is no IntersectionObserver (jsdom) every row stays live.
 */
import { useCallback, useState } from 'react';

/** About 3 rows above and below the window: a wheel step (~100 px) brings in rows already current. */
export const ROW_SIGHT_MARGIN = '100px 0px';

const watched = new WeakMap<Element, (inSight: boolean) => void>();
let observer: IntersectionObserver | undefined;

function rowObserver(): IntersectionObserver | undefined {
  if (typeof IntersectionObserver === 'undefined') return undefined;
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) watched.get(e.target)?.(e.isIntersecting);
  }, { rootMargin: ROW_SIGHT_MARGIN });
  return observer;
}

/** [ref for the row element, whether it is out of sight now]. */
export function useRowOutOfSight(): [(el: Element | null) => (() => void) | undefined, boolean] {
  const [outOfSight, setOutOfSight] = useState(false);
  const ref = useCallback((el: Element | null) => {
    const io = el ? rowObserver() : undefined;
    if (!el || !io) return undefined;
    watched.set(el, (inSight) => setOutOfSight(!inSight));
    io.observe(el);
    return () => {
      io.unobserve(el);
      watched.delete(el);
    };
  }, []);
  return [ref, outOfSight];
}
