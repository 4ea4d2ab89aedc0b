/**
 * The figures of the load decision (docs/LOAD-MODEL.md, "Migration decision"): how crowded
 * a job is where it runs and would be on a target, what a move costs, and the node's own
 * load as it weighs it. Pure; decide.ts combines them.
 */
import { normalisedLoad } from '../loadFigures.js';
import type { NodeId } from '../domain/node.js';

export interface GainOptions {
  /** Stability margin m (>= 1) on the job's own share at the target. */
  margin: number;
  /**
   * Noise floor e, in normalised load: a move must gain at least this much beyond the
   * margin, since node loads jitter by a fraction of a task from sample to sample.
   */
  noiseFloor: number;
  /** Estimated freeze of a move: a fixed part plus the job's memory at this rate. */
  freezeFixedMs: number;
  migrationKbPerS: number;
  /**
   * After an automatic move the job stays at least this long; the freeze is paid back
   * over this horizon, so it also weighs the cost of a move.
   */
  moveCooldownMs: number;
}

/** The load a job meets on a node with `load` runnable tasks, itself included: at least one per CPU. */
export function crowding(load: number, node: { cpus: number; speed: number }): number {
  return normalisedLoad({ load: Math.max(load, node.cpus), cpus: node.cpus, speed: node.speed });
}

/**
 * What moving a job of load `w` to `peer` costs in normalised load: the crowding it would
 * meet there, the margin on its own share, and the noise floor.
 */
export function targetCost(peer: { load: number; cpus: number; speed: number }, w: number, o: Pick<GainOptions, 'margin' | 'noiseFloor'>): number {
  return crowding(peer.load + w, peer) + (o.margin - 1) * normalisedLoad({ load: w, cpus: peer.cpus, speed: peer.speed }) + o.noiseFloor;
}

export function estimatedFreezeMs(memKb: number, o: Pick<GainOptions, 'freezeFixedMs' | 'migrationKbPerS'>): number {
  return o.freezeFixedMs + (1000 * Math.max(0, memKb)) / o.migrationKbPerS;
}

/**
 * The freeze as load: staying, the job runs at 1/own; moving, it stands still for F and
 * then runs at 1/after for the rest of the horizon H. Moving pays iff
 * (H - F) / after > H / own, i.e. after < own - own * F / H.
 */
export function moveCost(own: number, memKb: number, o: Pick<GainOptions, 'freezeFixedMs' | 'migrationKbPerS' | 'moveCooldownMs'>): number {
  if (o.moveCooldownMs <= 0) return 0;
  return own * Math.min(1, estimatedFreezeMs(memKb, o) / o.moveCooldownMs);
}

/**
 * How fast the local load follows a rise in demand, per sample. 1/16: a burst of two
 * processes for 3 s adds under 0.4, so bursts do not send jobs away (an eighth let one in
 * forty runs of issue 13's simulated noise move a job twice in 3 minutes; docs/LOAD-MODEL.md).
 */
export const LOCAL_RISE = 1 / 16;

/**
 * The node's own load as it weighs it (MOSIX's local "mean load", opposite to the exported
 * one): it falls at once and rises by LOCAL_RISE of the difference per sample, so a short
 * burst barely shows, while work that stays counts half within 11 s and nearly all within
 * 40 s. It starts from 0: a first sample is one instant, however busy.
 */
export function localLoad(previous: number | undefined, demand: number): number {
  const p = previous ?? 0;
  if (demand <= p) return Math.max(0, demand);
  return p + LOCAL_RISE * (demand - p);
}

/** Who last moved a job: the balancer's moves may be revised sooner than the admin's. */
export type MovedBy = 'balancer' | 'admin';

/** A job's last move as the node it runs on knows it; `by` unknown counts as the admin's. */
export interface LastMove {
  at: number;
  by?: MovedBy;
  from?: NodeId;
}
