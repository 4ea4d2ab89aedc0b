import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Runs `load` now and again `intervalMs` after each answer (never two at once, so a slow
 * node is not asked faster than it answers). `refresh()` asks at once, e.g. on an event.
 * A failure keeps the last data and sets `error`; the next success clears it.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number, deps: readonly unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let busy = false;
    let again = false;
    const run = async () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      clearTimeout(timer);
      try {
        const d = await loadRef.current();
        if (alive) {
          setData(d);
          setError(undefined);
        }
      } catch (e) {
        if (alive) setError((e as Error).message);
      } finally {
        busy = false;
        if (alive) {
          if (again) {
            again = false;
            void run();
          }
          else timer = setTimeout(() => void run(), intervalMs);
        }
      }
    };
    kick.current = () => void run();
    setData(undefined);
    void run();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps are this effect's deps, as with useEffect itself
  }, [intervalMs, ...deps]);

  const refresh = useCallback(() => kick.current(), []);
  return { data, error, refresh };
}
