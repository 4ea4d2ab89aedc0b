/**
 * The migration decision, run by each node about its own jobs (docs/LOAD-MODEL.md,
 * "Migration decision"). Pure: the caller passes its state, its infod view and its jobs,
 * and records the decision's time on the job so that a job is decided on at most once per
 * interval.
 */
import type { NodeId } from '../domain/node.js';
import { normalisedLoad } from '../loadFigures.js';
import { crowding, moveCost, targetCost, type GainOptions, type LastMove } from './gain.js';
import { isCpuCandidate } from './jobLoad.js';
import type { JobMode, NodeFlags } from './types.js';

export { targetCost } from './gain.js';

export interface DecideOptions extends GainOptions {
  /** No second decision about a job within this many ms (no bouncing). */
  jobIntervalMs: number;
  /** After the admin moved a job (or a move nobody announced), it stays this long: the admin's placement stands. */
  adminHoldMs: number;
  /** Memory ushering starts when available memory < this fraction of total. */
  memLowFraction: number;
  /**
   * A job must use at least this much CPU (runnable-task units) to be moved for load: moving
   * a nearly idle job gains nothing and costs it a freeze.
   */
  minJobLoad: number;
}

export const DEFAULT_DECIDE: Readonly<DecideOptions> = Object.freeze({
  margin: 1.25,
  noiseFloor: 0.25,
  // Measured (docs/BENCHMARKS.md, live migration): ~0.5 s plus ~30 MB/s of memory.
  freezeFixedMs: 500,
  migrationKbPerS: 30 * 1024,
  moveCooldownMs: 60_000,
  adminHoldMs: 10 * 60_000,
  jobIntervalMs: 2000,
  memLowFraction: 0.1,
  minJobLoad: 0.3,
});

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
  /** Local load (gain.ts localLoad): falls at once, rises slowly, so a burst does not send jobs away. */
  local?: number;
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
  /** The move that brought the job here, if any (same clock as `now`). */
  lastMove?: LastMove;
}

export type Decision =
  | { move: true; job: string; to: NodeId; reason: 'load' | 'memory'; ownLoad: number; targetCost: number }
  | { move: false; why: string };

/** Avoided targets: nodes whose recent moves failed, with why (the balancer's books). */
export type AvoidedTargets = ReadonlyMap<NodeId, string>;

function opts(o: Partial<DecideOptions> | undefined): DecideOptions {
  return { ...DEFAULT_DECIDE, ...o };
}

/** The load the deciding node compares against: the smaller of its exported load and its local load. */
export function ownDecisionLoad(self: Pick<SelfState, 'load' | 'local'>): number {
  return self.local === undefined ? self.load : Math.min(self.load, self.local);
}

/**
 * Why a job may not move for load now because of its last move, or undefined: after the
 * balancer's move it stays `moveCooldownMs`, after the admin's (or an unannounced) move
 * `adminHoldMs`.
 */
export function holdReason(j: Pick<JobCandidate, 'lastMove'>, now: number, o: Pick<DecideOptions, 'moveCooldownMs' | 'adminHoldMs'>): string | undefined {
  const m = j.lastMove;
  if (!m) return undefined;
  const byBalancer = m.by === 'balancer';
  const hold = byBalancer ? o.moveCooldownMs : o.adminHoldMs;
  const left = m.at + hold - now;
  if (left <= 0) return undefined;
  const s = (ms: number) => `${Math.ceil(ms / 1000)} s`;
  return byBalancer
    ? `moved here by the balancer ${s(now - m.at)} ago: stays at least ${s(hold)} (${s(left)} left)`
    : `moved here by the admin ${s(now - m.at)} ago: the admin's placement stands for ${s(hold)} (${s(left)} left); lock it to keep it here for good`;
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

function targets(peers: readonly PeerState[], self: NodeId, avoid?: AvoidedTargets): PeerState[] {
  return peers.filter((p) => p.node !== self && p.up !== false && !p.block && !avoid?.has(p.node));
}

/** Lowest cost; ties go to the faster node, then the lower id, so that the choice replays. */
function cheapest(peers: readonly PeerState[], jobLoad: number, o: DecideOptions): { peer: PeerState; cost: number } | undefined {
  let best: { peer: PeerState; cost: number } | undefined;
  for (const peer of peers) {
    const cost = targetCost(peer, jobLoad, o);
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
  /** Targets not to pick now (their recent moves failed). */
  avoid?: AvoidedTargets;
}

/** One decision for this node now: memory ushering first, then load balancing. */
export function decide(input: DecideInput): Decision {
  const o = opts(input.options);
  const { self, now } = input;
  if (self.flags.quiet) return { move: false, why: 'quiet: this node takes no part in balancing' };
  if (self.flags.stay) return { move: false, why: 'stay: automatic migration is off' };
  const movable = movableJobs(self, input.jobs, now, o);
  if (movable.length === 0) return { move: false, why: 'no job may move now' };
  const open = targets(input.peers, self.id, input.avoid);
  const ownLoad = ownDecisionLoad(self);

  if (memoryShort(self, o.memLowFraction)) {
    const job = [...movable].sort((a, b) => b.memKb - a.memKb || b.load - a.load || byKey(a, b))[0]!;
    const roomy = open
      .filter((p) => fitsMemory(p, job.memKb, o.memLowFraction))
      .sort((a, b) => b.memAvailKb - a.memAvailKb || normalisedLoad(a) - normalisedLoad(b) || a.node - b.node)[0];
    if (roomy) {
      return { move: true, job: job.key, to: roomy.node, reason: 'memory', ownLoad: normalisedLoad({ load: ownLoad, cpus: self.cpus, speed: self.speed }), targetCost: targetCost(roomy, job.load, o) };
    }
  }

  // Load moves respect the job's last move: the balancer's for a while, the admin's longer.
  const job = loadCandidate(movable.filter((j) => !holdReason(j, now, o)), o.minJobLoad);
  if (!job) return { move: false, why: `no CPU-balancing candidate (iojob, locked, moved recently, or using under ${o.minJobLoad} CPU)` };
  const best = cheapest(
    open.filter((p) => fitsMemory(p, job.memKb, o.memLowFraction)),
    job.load,
    o,
  );
  if (!best) return { move: false, why: 'no node can take a guest' };
  // The job meets `own` here and `cost` there (margin and noise floor included), plus the freeze.
  const own = crowding(ownLoad, self);
  const cost = best.cost + moveCost(own, job.memKb, o);
  if (cost < own) {
    return { move: true, job: job.key, to: best.peer.node, reason: 'load', ownLoad: own, targetCost: cost };
  }
  return { move: false, why: `no gain: job ${job.key} would meet ${cost.toFixed(2)} on node ${best.peer.node} (margin, noise floor and freeze included), ${own.toFixed(2)} here` };
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
  const own = here ? crowding(here.load, here) : Infinity;
  const freeze = here ? moveCost(own, job.memKb ?? 0, o) : 0;
  const costs: { node: NodeId; cost: number }[] = [];
  if (here) costs.push({ node: from, cost: own });
  const open = targets(view, from).filter((p) => fitsMemory(p, job.memKb ?? 0, o.memLowFraction));
  for (const p of open) costs.push({ node: p.node, cost: targetCost(p, job.load, o) + freeze });
  const best = cheapest(open, job.load, o);
  const node = best && best.cost + freeze < own ? best.peer.node : from;
  return { node, costs };
}
