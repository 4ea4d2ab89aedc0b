import { useEffect, useRef } from 'react';

/**
 * Asks again at once when `key` changes (e.g. the list of nodes that are up: one that comes up
 * is asked now, not at the poll's next interval), but not on the first render, when the poll
 * asks anyway.
 */
export function useAskWhenChanged(key: string, ask: () => Promise<unknown>): void {
  const askedFor = useRef(key);
  useEffect(() => {
    if (askedFor.current === key) return;
    askedFor.current = key;
    void ask();
  }, [key, ask]);
}
