/**
 * The MOSIX infod exchange: every half second a node sends its fresh entry plus the newest
 * entries it knows about others to ONE random peer; each node merges what it receives,
 * keeping per node the newest entry. Information spreads epidemically with no server, and a
 * node no news arrives about for `downAfterMs` is taken as down.
 *
 * Time: entries carry the sender's clock (t), compared only with entries from the same
 * node, so clocks need not agree. "Last heard" is the receiver's own clock at the moment a
 * newer entry arrived, which makes down-detection immune to skew too.
 */
import type { NodeId } from '../../shared/domain/node.js';
import { pick, type Rng } from './rng.js';
import type { InfoEntry, InfoMessage, ViewNode } from '../../shared/balancing/types.js';
import { copyWith } from '../copyWith.js';

export const DEFAULT_PERIOD_MS = 500;
export const DEFAULT_WINDOW = 16;
export const DEFAULT_DOWN_AFTER_MS = 3000;
/** How long a job we sent counts at its target before the target's own reports must show it. */
export const SETTLE_MS = 5000;

export interface KnownEntry {
  entry: InfoEntry;
  /** Receiver's clock when this entry (the newest known for its node) arrived. */
  heardAt: number;
}

export type InfoTable = Map<NodeId, KnownEntry>;

/** Newer by the node's own timestamp, then by its message counter. */
export function isNewer(a: InfoEntry, than: InfoEntry | undefined): boolean {
  if (!than) return true;
  return a.t > than.t || (a.t === than.t && a.seq > than.seq);
}

/** Entries come from the network (sealed, but any member's bug reaches us): anything else is dropped. */
function valid(e: InfoEntry | null): e is InfoEntry {
  if (typeof e !== 'object' || e === null) return false;
  const nums = [e.node, e.load, e.speed, e.cpus, e.memAvailKb, e.memTotalKb, e.util, e.t, e.seq];
  const free = e.memFreeKb === undefined || (typeof e.memFreeKb === 'number' && Number.isFinite(e.memFreeKb));
  return free && validIo(e.io) && validMark(e.alertLog) && nums.every((x) => typeof x === 'number' && Number.isFinite(x)) && Number.isInteger(e.node) && e.node > 0 && e.cpus > 0 && e.speed > 0 && e.load >= 0;
}

/** Absent, or the node's run and newest event number as whole numbers not below zero (agent/alerts/peerEventPull.ts). */
function validMark(m: unknown): boolean {
  if (m === undefined) return true;
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return [r.boot, r.seq].every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0);
}

const IO_RATES = ['diskReadBps', 'diskWriteBps', 'netRxBps', 'netTxBps'] as const;
/** Absent, or rates each absent or a finite figure not below zero. */
function validIo(io: unknown): boolean {
  if (io === undefined) return true;
  if (typeof io !== 'object' || io === null) return false;
  const r = io as Record<string, unknown>;
  return IO_RATES.every((k) => r[k] === undefined || (typeof r[k] === 'number' && Number.isFinite(r[k]) && r[k] >= 0));
}

/**
 * Merges entries into the table (mutated), ignoring entries about `self` (a node is the
 * authority on itself) and malformed ones. Returns how many were newer than what we had.
 */
export function mergeEntries(table: InfoTable, entries: readonly InfoEntry[], self: NodeId, now: number): number {
  let accepted = 0;
  for (const e of entries) {
    if (!valid(e) || e.node === self) continue;
    if (!isNewer(e, table.get(e.node)?.entry)) continue;
    table.set(e.node, { entry: { ...e }, heardAt: now });
    accepted++;
  }
  return accepted;
}

export function isUp(k: KnownEntry | undefined, now: number, downAfterMs: number): boolean {
  return k !== undefined && now - k.heardAt <= downAfterMs;
}

/**
 * The newest `size` entries about live nodes other than `self` and `to` (the recipient knows
 * itself better), newest-heard first; node id breaks ties so that the choice replays.
 */
export function gossipWindow(table: InfoTable, self: NodeId, to: NodeId, now: number, size: number, downAfterMs: number): InfoEntry[] {
  return [...table.values()]
    .filter((k) => k.entry.node !== self && k.entry.node !== to && isUp(k, now, downAfterMs))
    .sort((a, b) => b.heardAt - a.heardAt || a.entry.node - b.entry.node)
    .slice(0, Math.max(0, size))
    .map((k) => ({ ...k.entry }));
}

/** One peer, uniformly among the configured nodes other than self (down ones included: that is how they are found again). */
export function pickPeer(peers: readonly NodeId[], self: NodeId, rng: Rng): NodeId | undefined {
  const others = [...new Set(peers)].filter((p) => p !== self).sort((a, b) => a - b);
  return others.length ? pick(rng, others) : undefined;
}

/** A node's own figures, as its sampler and flags give them. */
export type OwnFigures = Omit<InfoEntry, 'node' | 't' | 'seq'>;

export interface InfodOptions {
  clock: () => number;
  rng: Rng;
  window?: number;
  downAfterMs?: number;
}

export class Infod {
  private readonly table: InfoTable = new Map();
  /** Jobs we sent, per target: their load, the target's load when we sent them, and when. */
  private readonly pending = new Map<NodeId, { load: number; base: number; at: number }>();
  private own: OwnFigures | undefined;
  private seq = 0;
  private peers: NodeId[];
  private quiet = false;
  readonly window: number;
  readonly downAfterMs: number;

  constructor(
    readonly self: NodeId,
    peers: readonly NodeId[],
    private readonly opts: InfodOptions,
  ) {
    this.peers = [...peers];
    this.window = opts.window ?? DEFAULT_WINDOW;
    this.downAfterMs = opts.downAfterMs ?? DEFAULT_DOWN_AFTER_MS;
  }

  setPeers(peers: readonly NodeId[]): void {
    this.peers = [...peers];
  }

  update(own: OwnFigures): void {
    this.own = { ...own };
  }

  /** mosctl quiet: we stop sending, so others stop seeing us update and mark us down. */
  setQuiet(quiet: boolean): void {
    this.quiet = quiet;
  }

  isQuiet(): boolean {
    return this.quiet;
  }

  private ownEntry(): InfoEntry | undefined {
    const o = this.own;
    if (!o) return undefined;
    const e: InfoEntry = { node: this.self, load: o.load, speed: o.speed, cpus: o.cpus, memAvailKb: o.memAvailKb, memTotalKb: o.memTotalKb, util: o.util, t: this.opts.clock(), seq: this.seq };
    if (o.block !== undefined) e.block = o.block;
    if (o.memFreeKb !== undefined) e.memFreeKb = o.memFreeKb;
    if (o.io !== undefined) e.io = o.io;
    if (o.alertLog !== undefined) e.alertLog = { ...o.alertLog };
    return e;
  }

  /** Called every period: the message to send, or undefined when quiet, unsampled or alone. */
  tick(): InfoMessage | undefined {
    if (this.quiet || !this.own) return undefined;
    const to = pickPeer(this.peers, this.self, this.opts.rng);
    if (to === undefined) return undefined;
    this.seq++;
    const mine = this.ownEntry()!;
    const now = this.opts.clock();
    return { from: this.self, to, entries: [mine, ...gossipWindow(this.table, this.self, to, now, this.window, this.downAfterMs)] };
  }

  /** Merges a message that the transport has already authenticated; returns entries accepted. */
  receive(msg: InfoMessage): number {
    return mergeEntries(this.table, msg.entries, this.self, this.opts.clock());
  }

  /**
   * We just sent a job of `jobLoad` to `to`: count it there until `to` reports a load that
   * shows it, or for SETTLE_MS at most. A report merely newer is not enough: the target may
   * sample while the arriving job is still frozen, and a second job would follow on stale news.
   */
  noteMigration(to: NodeId, jobLoad: number): void {
    const k = this.table.get(to);
    if (!k) return;
    const now = this.opts.clock();
    const p = this.pending.get(to);
    const live = p && now - p.at < SETTLE_MS;
    this.pending.set(to, { load: (live ? p.load : 0) + jobLoad, base: live ? p.base : k.entry.load, at: now });
  }

  /** A job we noted for `to` did not arrive (the move failed): its load leaves `to` at once. */
  cancelMigration(to: NodeId, jobLoad: number): void {
    const p = this.pending.get(to);
    if (!p) return;
    const load = p.load - jobLoad;
    if (load <= 1e-9) this.pending.delete(to);
    else this.pending.set(to, { ...p, load });
  }

  /**
   * Every node we know of (self first), with its status as of now. The balancer's view counts
   * jobs we just sent at their targets; `reported` gives the nodes' own figures (the collector's).
   */
  view(which: 'balancing' | 'reported' = 'balancing'): ViewNode[] {
    const now = this.opts.clock();
    const out: ViewNode[] = [];
    const mine = this.ownEntry();
    if (mine) out.push(copyWith(mine, { up: true, ageMs: 0, self: true }));
    const others = [...this.table.values()].sort((a, b) => a.entry.node - b.entry.node);
    for (const k of others) {
      const p = this.pending.get(k.entry.node);
      if (p && now - p.at >= SETTLE_MS) this.pending.delete(k.entry.node);
      const extra = which === 'balancing' && p && now - p.at < SETTLE_MS ? Math.max(0, p.base + p.load - k.entry.load) : 0;
      // Every sample (the balancer's decision) and every request for the view: copyWith, not a spread (copyWith.ts).
      out.push(copyWith(k.entry, { load: k.entry.load + extra, up: isUp(k, now, this.downAfterMs), ageMs: now - k.heardAt, self: false }));
    }
    return out;
  }
}
