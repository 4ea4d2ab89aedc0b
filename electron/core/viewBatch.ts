/**
 * Node views to the windows as one `cluster.views` event per tick instead of one `node.view`
 * per node: every agent sends a sample each second at its own moment, so 128 nodes made 128
 * messages a second, each a task of its own in every window (receive, parse, dispatch), about
 * half the main window's cost. A tick carries the latest view of each node that reported in it,
 * and only those that differ from what that node last sent.
 */
import type { NodeId, NodeView } from '../../shared/domain/node.js';

/**
 * A second, as often as the rows change (each node samples once a second): a window draws one frame a
 * second, not four (at 128 nodes each frame costs some 4-6 ms whatever it carries: paint, layerize,
 * commit of the rows in sight). A view waits at most one tick, so a row is never more than one sample
 * behind its node: it shows each second, a second late at the latest, all rows at once (as Mosixview's
 * refresh did).
 */
export const VIEW_TICK_MS = 1000;

/**
 * A node that came up, went down or is connecting again: its row's lamp changes, which a window
 * should show at once, not up to a tick later (a start-up whose window opened before the nodes were
 * up waited a second for the last lamp). Such a view brings the batch forward to this long after it,
 * so that nodes coming up together still go out together; changes of status are few, samples are not.
 */
export const STATUS_TICK_MS = 50;

/** The views waiting for the next tick (pure: the caller owns the timer). */
export class ViewBatch {
  private readonly pending = new Map<NodeId, NodeView>();
  /** Per node, the view last sent: as JSON (views are plain data that crosses the wire as JSON anyway), and its status. */
  private readonly sent = new Map<NodeId, { json: string; status: NodeView['status'] }>();

  /** Whether `v` shows its node in another status than the windows were last sent (a node never sent counts as changed). */
  statusChanged(v: NodeView): boolean {
    return this.sent.get(v.id)?.status !== v.status;
  }

  /** Keeps `v` as its node's latest; true when the batch was empty (a tick is to be asked for). */
  add(v: NodeView): boolean {
    const first = this.pending.size === 0;
    this.pending.set(v.id, v);
    return first;
  }

  /** The views to send now, in the order their nodes first reported in this tick; the batch is empty after. */
  take(): NodeView[] {
    const out: NodeView[] = [];
    for (const [id, v] of this.pending) {
      const json = JSON.stringify(v);
      if (this.sent.get(id)?.json === json) continue;
      this.sent.set(id, { json, status: v.status });
      out.push(v);
    }
    this.pending.clear();
    return out;
  }
}

export interface TickedViews {
  add(v: NodeView): void;
  /** Drops the waiting tick: nothing is emitted after, also of views that come later. */
  stop(): void;
}

/**
 * Emits the batch `tickMs` after the first view of it arrived, or `statusTickMs` after a view
 * that changes its node's status if that is sooner (never an empty batch).
 */
export function tickedViews(emit: (views: NodeView[]) => void, tickMs = VIEW_TICK_MS, statusTickMs = STATUS_TICK_MS): TickedViews {
  const batch = new ViewBatch();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = Infinity;
  let stopped = false;
  const tick = () => {
    timer = undefined;
    dueAt = Infinity;
    const views = batch.take();
    if (views.length > 0) emit(views);
  };
  const tickIn = (ms: number) => {
    clearTimeout(timer);
    dueAt = Date.now() + ms;
    timer = setTimeout(tick, ms);
  };
  return {
    add(v) {
      const first = batch.add(v);
      if (stopped) return;
      if (batch.statusChanged(v) && Date.now() + statusTickMs < dueAt) tickIn(statusTickMs);
      else if (first) tickIn(tickMs);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      dueAt = Infinity;
    },
  };
}
