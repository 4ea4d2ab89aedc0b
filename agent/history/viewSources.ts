/**
 * What the collector's node knows about the cluster, each source in the collector's own
 * clock: its own sample, the load exchange's view (an entry's age is measured by this node,
 * so other nodes' clocks never matter), and the views a connected GUI pushes (as of the push).
 */
import type { NodeIo, NodeMemory, NodeView } from '../../shared/domain/node.js';
import type { ViewNode } from '../../shared/balancing/types.js';
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';
import type { ViewSource } from './mergeViews.js';

/** The load exchange's nodes other than this one, as of `now - age`; hosts from the map. */
export function reportedSource(view: readonly ViewNode[], now: number, hostOf: (id: number) => string | undefined): ViewSource {
  const nodes: ClusterViewNode[] = view
    .filter((v) => !v.self)
    .map((v) => {
      const host = hostOf(v.node) ?? '';
      // Down from silence: nothing newer than the last news says so, and a fresher source may know better.
      if (!v.up) return { id: v.node, host, status: 'down', at: now - v.ageMs };
      const mem = { totalKb: v.memTotalKb, availableKb: v.memAvailKb, freeKb: v.memFreeKb ?? v.memAvailKb };
      return { id: v.node, host, status: 'up', sample: { t: now - v.ageMs, load: v.load, cpus: v.cpus, speed: v.speed, util: v.util, mem, ...ioOf(v.io) } };
    });
  return { at: now, nodes };
}

/** Beyond any node's figures (load x 100 and kB included) and within what the history can hold. */
const MAX_FIGURE = 1e12;
const figure = (v: unknown) => typeof v === 'number' && Math.abs(v) <= MAX_FIGURE;

const IO_RATES = ['diskReadBps', 'diskWriteBps', 'netRxBps', 'netTxBps'] as const;
/** The rates a row carries, if they are figures the history can hold (a bad one costs the rates, not the row's second). */
function rates(io: NodeIo | undefined): NodeIo | undefined {
  if (typeof io !== 'object' || io === null) return undefined;
  return IO_RATES.every((k) => io[k] === undefined || (figure(io[k]) && io[k] >= 0)) ? io : undefined;
}

/**
 * A row the history can record. The GUI ignores what observe answers, and one bad row must
 * not cost the others their second: such a row is left out (other sources may know the node).
 */
function recordable(v: NodeView | null): v is NodeView {
  if (typeof v !== 'object' || v === null || !Number.isSafeInteger(v.id) || v.id < 0 || typeof v.host !== 'string') return false;
  if (v.status !== 'up' || !v.sample) return true; // recorded as down
  const s = v.sample;
  const m = s.mem as Partial<NodeMemory> | null | undefined;
  return [s.load, s.cpus, s.speed, s.util].every(figure) && typeof m === 'object' && m !== null && [m.totalKb, m.freeKb, m.availableKb].every(figure);
}

function ioOf(io: NodeIo | undefined): { io?: NodeIo } {
  const r = rates(io);
  return r ? { io: r } : {};
}

/** A GUI's pushed rows, taken as current when they arrived (their sample times are the nodes' clocks). */
export function observedSource(views: readonly NodeView[], at: number): ViewSource {
  const nodes: ClusterViewNode[] = views.filter(recordable).map((v) =>
    v.status === 'up' && v.sample
      ? { id: v.id, host: v.host, status: 'up', sample: { t: at, load: v.sample.load, cpus: v.sample.cpus, speed: v.sample.speed, util: v.sample.util, mem: v.sample.mem, ...ioOf(v.sample.io) } }
      : { id: v.id, host: v.host, status: 'down' },
  );
  return { at, nodes };
}
