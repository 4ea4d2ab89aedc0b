/**
 * The cluster events every window wires into its store (renderer/main.tsx). Node views come as
 * `cluster.views`, one message per tick of the main process (a second) with the nodes whose view
 * changed (electron/core/viewBatch.ts); what arrives is applied in the next animation frame, in one
 * store update: one render, layout and paint a second. A window the browser does not draw (hidden,
 * minimised) runs no frames: its views wait, the latest per node, and cost nothing until it shows.
 */
import type { NodeView } from '../../shared/domain/node.js';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { clusterActions } from './clusterStore.js';

/**
 * Runs `run` in the next animation frame. No throttle of its own: the main process sends views once
 * a tick (VIEW_TICK_MS, a second), so frames cannot come faster than that from views alone.
 */
export const nextFrame = (run: () => void): void => void requestAnimationFrame(() => run());

/** `schedule` runs the flush later (nextFrame in the app; tests run it by hand). */
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
