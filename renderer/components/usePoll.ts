import { useCallback, useEffect, useRef, useState } from 'react';

export interface PollOptions {
  /** While false nothing is asked (a window showing a backup, a chart with refresh off); true again asks at once. */
  enabled?: boolean;
}

/**
 * The one way the renderer polls: runs `load` now and again `intervalMs` after each answer
 * (never two at once, so a slow node is not asked faster than it answers); `intervalMs`
 * undefined asks once per change of `deps`. `refresh()` asks at once, e.g. on an event or
 * after an action, and resolves once an answer that started after it is in. `set()` puts
 * data the caller got another way (an action's answer, an event) in place of the last answer.
 * A failure keeps the last data and sets `error`; the next success clears it.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number | undefined, deps: readonly unknown[], { enabled = true }: PollOptions = {}) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;
  const kick = useRef<() => Promise<void>>(() => Promise.resolve());

  useEffect(() => {
    setData(undefined);
    setError(undefined);
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps -- the caller's deps are this effect's deps, as with useEffect itself

  useEffect(() => {
    if (!enabled) {
      kick.current = () => Promise.resolve();
      return;
    }
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let busy = false;
    /** Callers of refresh() waiting for an answer that started after they asked. */
    let waiting: (() => void)[] = [];
    const run = async () => {
      if (busy) return;
      busy = true;
      clearTimeout(timer);
      const answering = waiting;
      waiting = [];
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
        for (const done of answering) done();
        // Asked again meanwhile: at once; else after the interval.
        if (alive && waiting.length > 0) void run();
        else if (alive && intervalMs !== undefined) timer = setTimeout(() => void run(), intervalMs);
      }
    };
    kick.current = () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        void run();
      });
    void run();
    return () => {
      alive = false;
      clearTimeout(timer);
      for (const done of waiting) done();
      kick.current = () => Promise.resolve();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps are this effect's deps, as with useEffect itself
  }, [intervalMs, enabled, ...deps]);

  const refresh = useCallback(() => kick.current(), []);
  const set = useCallback((d: T) => setData(d), []);
  return { data, error, refresh, set };
}
