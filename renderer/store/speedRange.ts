/**
 * The speed sliders' common range. It is decided from the cluster's speeds and only ever
 * widens, when a node reports a speed beyond it (set with mosctl, say): a slider can never
 * be dragged past its end, so a drag never rescales it and the thumb stays where it was let go.
 */
import { MAX_SPEED } from '../../shared/domain/node.js';
import type { NodeView } from '../../shared/domain/node.js';

/** Ten times the reference CPU: room for today's nodes with the standard one near the start. */
export const DEFAULT_SPEED_MAX = 100_000;

/** The range's end once `views` are known: unchanged unless one of them is beyond it. */
export function widenSpeedMax(current: number, views: Iterable<NodeView>): number {
  let max = current;
  for (const v of views) {
    const speed = v.status === 'up' ? v.sample?.speed : undefined;
    // Half as much again, in whole 10000s, so the fastest node's thumb is not at the very end.
    if (speed !== undefined && speed > max) max = Math.min(MAX_SPEED, Math.ceil((speed * 1.5) / 10_000) * 10_000);
  }
  return max;
}
