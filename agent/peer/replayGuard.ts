/**
 * Which unsealed exchange envelopes to take, without trusting the nodes' clocks to agree.
 *
 * Replays: a sender's sequence numbers only grow (and survive its restarts, see SeqMarks), so
 * an envelope not above the last one taken from it is a replay. Our own marks survive our
 * restarts too, so a capture from before a restart is still a replay after it.
 *
 * Staleness: per sender we learn its lag, our clock minus its stamp (clock offset plus
 * transit): the smallest seen, allowed to creep up by the drift two clocks may have. An
 * envelope lagging more than maxAgeMs beyond that was held back on the way and is stale. A
 * sender whose clock stepped back shows one steady new lag: after RELEARN_AFTER envelopes in
 * a row, each newer than the one before and all lagging alike, that lag is learnt.
 *
 * Jumps: one envelope could otherwise move a sender's floor anywhere, up to
 * Number.MAX_SAFE_INTEGER, and every later envelope of that sender would be a "replay"
 * for good. Only a holder of the cluster key (or a bug) can seal such a number, but one
 * envelope must not do that much. A sender's numbers are its clock in microseconds, so
 * between two envelopes they grow by the time between them (by our clock, give or take
 * DRIFT) plus at most MAX_SEQ_JUMP (a restart's reserve): a sender gossiping to one peer
 * of 63 is heard from every ~30 s, and that is no jump. A sequence further ahead is held
 * back (dropped, counted as `ahead`) until the next envelope from that sender lands just
 * above it, which confirms the jump. A real sender that jumps (its clock stepped forward)
 * loses one envelope; its ordinary traffic below the held-back number goes on being taken.
 * Marks loaded after our restart come with no time: the first jump from them is held back.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { ExchangeStats } from '../../shared/protocol/peer.js';

/** 1 ms per second: ten times what a quartz clock drifts. */
export const DRIFT = 1e-3;
export const RELEARN_AFTER = 10;
/**
 * The farthest one envelope may move a sender's floor. The exchange's sequence numbers are
 * its clock in microseconds (exchangeSocket.ts), so this is 10 s of a sender's sending: at
 * worst an envelope just inside the window silences its sender for 10 s. It is also the
 * floor a restarted sender resumes from (SEND_RESERVE), so a quick restart is taken at once.
 */
export const MAX_SEQ_JUMP = 10_000_000;
const ALIKE_MS = 1000;

export interface Envelope {
  from: NodeId;
  seq: number;
  /** Sender's clock, ms. */
  t: number;
}

interface Sender {
  lastSeq: number;
  /** Learnt lag (ms) and when it was last confirmed, by our clock; none before the first envelope. */
  lag?: number;
  at: number;
  strays?: { seq: number; lag: number; n: number };
  /** A sequence number too far ahead, held back until the next envelope confirms it, and when it came. */
  ahead?: { seq: number; at: number };
}

/** How far a sender's sequence may have grown in `elapsedMs` of our clock (its clock in µs, plus a restart's reserve). */
export function allowedGrowth(elapsedMs: number): number {
  return MAX_SEQ_JUMP + Math.max(0, elapsedMs) * 1000 * (1 + DRIFT);
}

export class ReplayGuard {
  private readonly senders = new Map<NodeId, Sender>();
  readonly stats: ExchangeStats = { accepted: 0, forged: 0, stale: 0, replayed: 0, ahead: 0 };

  /** `known`: the last sequence number taken from each sender before a restart. */
  constructor(
    private readonly maxAgeMs = 5000,
    known: Readonly<Record<string, number>> = {},
  ) {
    for (const [id, seq] of Object.entries(known)) if (Number.isFinite(seq)) this.senders.set(Number(id), { lastSeq: seq, at: 0 });
  }

  admit(env: Envelope | undefined, now: number): env is Envelope {
    if (!env) {
      this.stats.forged++;
      return false;
    }
    const s = this.senders.get(env.from);
    if (s && env.seq <= s.lastSeq) {
      this.stats.replayed++;
      return false;
    }
    // `at` 0: marks loaded after our restart, with no time to measure growth against.
    if (s && env.seq - s.lastSeq > (s.at ? allowedGrowth(now - s.at) : MAX_SEQ_JUMP)) {
      const a = s.ahead;
      const confirmed = a !== undefined && env.seq > a.seq && env.seq - a.seq <= allowedGrowth(now - a.at);
      if (!confirmed) {
        s.ahead = { seq: env.seq, at: now };
        this.stats.ahead++;
        return false;
      }
    }
    const lag = now - env.t;
    let base = lag;
    if (s?.lag !== undefined) {
      const expected = s.lag + DRIFT * Math.max(0, now - s.at);
      if (lag > expected + this.maxAgeMs && !this.relearned(s, env.seq, lag)) {
        this.stats.stale++;
        return false;
      }
      if (!s.strays || s.strays.n < RELEARN_AFTER) base = Math.min(lag, expected);
    }
    this.senders.set(env.from, { lastSeq: env.seq, lag: base, at: now });
    this.stats.accepted++;
    return true;
  }

  /** Counts a late envelope towards learning a new lag; true once the lag has held long enough. */
  private relearned(s: Sender, seq: number, lag: number): boolean {
    const st = s.strays;
    s.strays = st && seq > st.seq && Math.abs(lag - st.lag) <= ALIKE_MS ? { seq, lag: st.lag, n: st.n + 1 } : { seq, lag, n: 1 };
    return s.strays.n >= RELEARN_AFTER;
  }

  /** The last sequence number taken from each sender, to keep across a restart. */
  marks(): Record<string, number> {
    return Object.fromEntries([...this.senders].map(([id, s]) => [String(id), s.lastSeq]));
  }
}
