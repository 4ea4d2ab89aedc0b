/**
 * The migration decision, run by each node about its own jobs (docs/LOAD-MODEL.md,
 * "Migration decision"). Pure: the caller passes its state, its infod view and its jobs,
 * and records the decision's time on the job so that a job is decided on at most once per
 * interval.
 */
import type { NodeId } from '../domain/node.js';
import { normalisedLoad } from '../loadFigures.js';
import { isCpuCandidate } from './jobLoad.js';
import type { JobMode, NodeFlags } from './types.js';

export interface DecideOptions {
  /** Stability margin m (>= 1) on the job's own share at the target. */
  margin: number;
  /** No second decision about a job within this many ms (no bouncing). */
  jobIntervalMs: number;
  /** Memory ushering starts when available memory < this fraction of total. */
  memLowFraction: number;
  /**
   * A job must use at least this much CPU (runnable-task units) to be moved for load: moving
   * a nearly idle job gains nothing and costs it a freeze.
   */
  minJobLoad: number;
}

export const DEFAULT_DECIDE: Readonly<DecideOptions> = Object.freeze({ margin: 1.25, jobIntervalMs: 2000, memLowFraction: 0.1, minJobLoad: 0.3 });

/** What a node knows of another (an infod view entry fits). */
export interface PeerState {
  node: NodeId;
  load: number;
  cpus: number;
  speed: number;
  memAvailKb: number;
  memTotalKb: number;
  block?: boolean;
  /** Absent means up. */
  up?: boolean;
}

export interface SelfState {
  id: NodeId;
  /** Exported load (the upper estimate others see). */
  load: number;
  /** Current demand, if known: the node knows its own present better than its smoothed figure. */
  demand?: number;
  cpus: number;
  speed: number;
  memAvailKb: number;
  memTotalKb: number;
  flags: NodeFlags;
}

export interface JobCandidate {
  key: string;
  home: NodeId;
  /** Job load (jobLoad.ts), runnable-task units. */
  load: number;
  mode: JobMode;
  /** Locked to this node (runhome, runon, /proc/PID/lock). */
  locked?: boolean;
  /** Set when the job cannot migrate at all. */
  cantMove?: string;
  memKb: number;
  /** Last decision or move about this job, ms, same clock as `now`. */
  lastDecisionAt?: number;
}

export type Decision =
  | { move: true; job: string; to: NodeId; reason: 'load' | 'memory'; ownLoad: number; targetCost: number }
  | { move: false; why: string };

function opts(o: Partial<DecideOptions> | undefined): DecideOptions {
  return { ...DEFAULT_DECIDE, ...o };
}

/** Normalised load a node would show with the job's share weighted by the margin. */
export function targetCost(peer: Pick<PeerState, 'load' | 'cpus' | 'speed'>, jobLoad: number, margin: number): number {
  return normalisedLoad(peer) + margin * normalisedLoad({ load: jobLoad, cpus: peer.cpus, speed: peer.speed });
}

/** The load the deciding node compares against: the smaller of its exported load and its present demand. */
export function ownDecisionLoad(self: Pick<SelfState, 'load' | 'demand'>): number {
  return self.demand === undefined ? self.load : Math.min(self.load, self.demand);
}

export function memoryShort(n: Pick<PeerState, 'memAvailKb' | 'memTotalKb'>, memLowFraction: number): boolean {
  return n.memTotalKb > 0 && n.memAvailKb < memLowFraction * n.memTotalKb;
}

/** Whether the node can take `memKb` and stay above its own ushering threshold (else it would push back). */
export function fitsMemory(n: Pick<PeerState, 'memAvailKb' | 'memTotalKb'>, memKb: number, memLowFraction: number): boolean {
  return n.memAvailKb - memKb >= memLowFraction * n.memTotalKb;
}

/** A node's exported load once a job leaves: lowered at once, since the departure is certain. */
export function loadAfterDeparture(load: number, jobLoad: number): number {
  return Math.max(0, load - jobLoad);
}

export function loadAfterArrival(load: number, jobLoad: number): number {
  return load + jobLoad;
}

/** Jobs a node may move automatically now, whatever the reason. */
export function movableJobs(self: Pick<SelfState, 'id' | 'flags'>, jobs: readonly JobCandidate[], now: number, o: DecideOptions): JobCandidate[] {
  if (self.flags.stay || self.flags.quiet) return [];
  return jobs.filter(
    (j) =>
      !j.locked &&
      !j.cantMove &&
      !(self.flags.lstay && j.home === self.id) &&
      (j.lastDecisionAt === undefined || now - j.lastDecisionAt >= o.jobIntervalMs),
  );
}

const byKey = (a: JobCandidate, b: JobCandidate): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Best candidate for CPU balancing: highest load among movable non-iojob jobs. A job with
 * no load yet (no statistics) would gain nothing anywhere, so it waits for its first interval.
 */
export function loadCandidate(movable: readonly JobCandidate[], minJobLoad = DEFAULT_DECIDE.minJobLoad): JobCandidate | undefined {
  return movable.filter((j) => isCpuCandidate(j.mode) && j.load > 0 && j.load >= minJobLoad).sort((a, b) => b.load - a.load || byKey(a, b))[0];
}

function targets(peers: readonly PeerState[], self: NodeId): PeerState[] {
  return peers.filter((p) => p.node !== self && p.up !== false && !p.block);
}

/** Lowest cost; ties go to the faster node, then the lower id, so that the choice replays. */
function cheapest(peers: readonly PeerState[], jobLoad: number, margin: number): { peer: PeerState; cost: number } | undefined {
  let best: { peer: PeerState; cost: number } | undefined;
  for (const peer of peers) {
    const cost = targetCost(peer, jobLoad, margin);
    if (!best || cost < best.cost - 1e-12 || (Math.abs(cost - best.cost) <= 1e-12 && (peer.speed > best.peer.speed || (peer.speed === best.peer.speed && peer.node < best.peer.node)))) {
      best = { peer, cost };
    }
  }
  return best;
}

export interface DecideInput {
  now: number;
  self: SelfState;
  peers: readonly PeerState[];
  jobs: readonly JobCandidate[];
  options?: Partial<DecideOptions>;
}

/** One decision for this node now: memory ushering first, then load balancing. */
export function decide(input: DecideInput): Decision {
  const o = opts(input.options);
  const { self, now } = input;
  if (self.flags.quiet) return { move: false, why: 'quiet: this node takes no part in balancing' };
  if (self.flags.stay) return { move: false, why: 'stay: automatic migration is off' };
  const movable = movableJobs(self, input.jobs, now, o);
  if (movable.length === 0) return { move: false, why: 'no job may move now' };
  const open = targets(input.peers, self.id);
  const ownLoad = ownDecisionLoad(self);
  const ownNorm = normalisedLoad({ load: ownLoad, cpus: self.cpus, speed: self.speed });

  if (memoryShort(self, o.memLowFraction)) {
    const job = [...movable].sort((a, b) => b.memKb - a.memKb || b.load - a.load || byKey(a, b))[0]!;
    const roomy = open
      .filter((p) => fitsMemory(p, job.memKb, o.memLowFraction))
      .sort((a, b) => b.memAvailKb - a.memAvailKb || normalisedLoad(a) - normalisedLoad(b) || a.node - b.node)[0];
    if (roomy) {
      return { move: true, job: job.key, to: roomy.node, reason: 'memory', ownLoad: ownNorm, targetCost: targetCost(roomy, job.load, o.margin) };
    }
  }

  const job = loadCandidate(movable, o.minJobLoad);
  if (!job) return { move: false, why: `no CPU-balancing candidate (iojob, locked, moved recently, or using under ${o.minJobLoad} CPU)` };
  const best = cheapest(
    open.filter((p) => fitsMemory(p, job.memKb, o.memLowFraction)),
    job.load,
    o.margin,
  );
  if (!best) return { move: false, why: 'no node can take a guest' };
  if (best.cost < ownNorm) {
    return { move: true, job: job.key, to: best.peer.node, reason: 'load', ownLoad: ownNorm, targetCost: best.cost };
  }
  return { move: false, why: `balanced: best target ${best.peer.node} costs ${best.cost.toFixed(2)} >= own ${ownNorm.toFixed(2)}` };
}

export interface BestNode {
  /** Where the job runs best; `from` when staying is at least as good. */
  node: NodeId;
  /** Each considered node's cost; for `from`, its normalised load (the job already counts there). */
  costs: { node: NodeId; cost: number }[];
}

/**
 * The migrator's "best" button and `migrate PID best`: the decision rule's target, without
 * the automatic-migration flags (stay, lstay, the interval) that only restrain the daemon.
 */
export function bestNode(view: readonly PeerState[], job: Pick<JobCandidate, 'load'> & { memKb?: number }, from: NodeId, options?: Partial<DecideOptions>): BestNode {
  const o = opts(options);
  const here = view.find((p) => p.node === from);
  const costs: { node: NodeId; cost: number }[] = [];
  if (here) costs.push({ node: from, cost: normalisedLoad(here) });
  const open = targets(view, from).filter((p) => fitsMemory(p, job.memKb ?? 0, o.memLowFraction));
  for (const p of open) costs.push({ node: p.node, cost: targetCost(p, job.load, o.margin) });
  const best = cheapest(open, job.load, o.margin);
  const node = best && (!here || best.cost < normalisedLoad(here)) ? best.peer.node : from;
  return { node, costs };
}
