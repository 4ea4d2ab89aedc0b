/**
 * Work that runs once, when first asked for or after `ms` at the latest: a starting daemon's
 * speed check waits for the GUI's first subscription (the node is shown by then), so that
 * the check is not on the way of the nodes that are still starting.
 */
export interface DeferredOnce {
  /** Runs it now unless it ran or was cancelled. */
  now(): void;
  cancel(): void;
}

export function deferredOnce(run: () => void, ms: number): DeferredOnce {
  let pending = true;
  const fire = () => {
    if (!pending) return;
    pending = false;
    clearTimeout(timer);
    run();
  };
  const timer = setTimeout(fire, ms);
  timer.unref?.();
  return {
    now: fire,
    cancel() {
      pending = false;
      clearTimeout(timer);
    },
  };
}
