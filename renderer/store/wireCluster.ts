/**
 * The cluster events every window wires into its store (renderer/main.tsx). Node views come as
 * `cluster.views`, one message per tick of the main process with the nodes whose view changed
 * (electron/core/viewBatch.ts); what arrives is applied in an animation frame, at most every
 * VIEW_FLUSH_MS, in one store update: a few renders, layouts and paints a second, not one per node.
 */
import type { NodeView } from '../../shared/domain/node.js';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { clusterActions } from './clusterStore.js';

/** Rows update once a second: a quarter of a second late is not seen, a render per node is. */
export const VIEW_FLUSH_MS = 250;

/**
 * Runs each given callback in an animation frame at least `gapMs` after the previous one ran
 * (at once, in the next frame, after a quiet spell). One callback waits at a time (the caller's).
 */
export function throttledFrames(gapMs: number, now = () => performance.now()): (run: () => void) => void {
  let last = -Infinity;
  return (run) => {
    const fire = () => requestAnimationFrame(() => {
      last = now();
      run();
    });
    const wait = last + gapMs - now();
    if (wait > 0) setTimeout(fire, wait);
    else fire();
  };
}

/** `schedule` runs the flush later (throttledFrames in the app; tests run it by hand). */
export function wireClusterEvents(bridge: MosixviewBridge, schedule: (run: () => void) => void): void {
  const pending = new Map<number, NodeView>();
  const flush = () => {
    const views = [...pending.values()];
    pending.clear();
    clusterActions.applyViews(views);
  };
  bridge.on('cluster.views', ({ views }) => {
    if (views.length === 0) return;
    if (pending.size === 0) schedule(flush);
    // A newer view of the same node replaces the waiting one (Map keeps the first arrival's order).
    for (const v of views) pending.set(v.id, v);
  });
  bridge.on('hostKey.prompt', (p) => clusterActions.addPrompt(p));
  bridge.on('hostKey.resolved', ({ promptId }) => clusterActions.removePrompt(promptId));
}
