/**
 * The cluster events every window wires into its store (renderer/main.tsx). Node views come as
 * `cluster.views`, one message per tick of the main process with the nodes whose view changed
 * (electron/core/viewBatch.ts); what arrives is applied in an animation frame, at most every
 * VIEW_FLUSH_MS, in one store update: a few renders, layouts and paints a second, not one per node.
 */
import type { NodeView } from '../../shared/domain/node.js';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { clusterActions, useCluster } from './clusterStore.js';

/** Rows update once a second: a quarter of a second late is not seen, a render per node is. */
export const VIEW_FLUSH_MS = 250;

/**
 * Asks for `run` in an animation frame; `soon`: in the next frame whatever the gap (a lamp that
 * changed), also for a run already waiting for its gap.
 */
export type FrameSchedule = (run: () => void, soon?: boolean) => void;

/**
 * Runs each given callback in an animation frame at least `gapMs` after the previous one ran
 * (at once, in the next frame, after a quiet spell, or when asked `soon`). One callback waits at
 * a time (the caller's): asked again while it waits, only `soon` changes anything.
 */
export function throttledFrames(gapMs: number, now = () => performance.now()): FrameSchedule {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiting: (() => void) | undefined;
  const fire = () => {
    timer = undefined;
    requestAnimationFrame(() => {
      const run = waiting!;
      waiting = undefined;
      last = now();
      run();
    });
  };
  return (run, soon = false) => {
    if (waiting) {
      if (soon && timer !== undefined) {
        clearTimeout(timer);
        fire();
      }
      return;
    }
    waiting = run;
    const wait = soon ? 0 : last + gapMs - now();
    if (wait > 0) timer = setTimeout(fire, wait);
    else fire();
  };
}

/**
 * `schedule` runs the flush later (throttledFrames in the app; tests run it by hand). A node whose
 * status changed asks for it soon: a lamp going green or red shows in the next frame, figures
 * at the window's pace.
 */
export function wireClusterEvents(bridge: MosixviewBridge, schedule: FrameSchedule): void {
  const pending = new Map<number, NodeView>();
  const flush = () => {
    const views = [...pending.values()];
    pending.clear();
    clusterActions.applyViews(views);
  };
  bridge.on('cluster.views', ({ views }) => {
    if (views.length === 0) return;
    const shown = useCluster.getState().nodes;
    const soon = views.some((v) => v.id in shown && (pending.get(v.id) ?? shown[v.id])!.status !== v.status);
    if (pending.size === 0 || soon) schedule(flush, soon);
    // A newer view of the same node replaces the waiting one (Map keeps the first arrival's order).
    for (const v of views) pending.set(v.id, v);
  });
  bridge.on('hostKey.prompt', (p) => clusterActions.addPrompt(p));
  bridge.on('hostKey.resolved', ({ promptId }) => clusterActions.removePrompt(promptId));
}
