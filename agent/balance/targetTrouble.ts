/**
 * Targets whose moves failed, in the balancer's books: a node that keeps failing moves (no
 * CRIU there, a full disk, a broken link) is not picked again for a while, longer after each
 * failure in a row, and its own facts (mig.facts) say why when they show the cause.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { AvoidedTarget } from '../../shared/protocol/agentBalance.js';

/** Avoid a target this long after its first failure, doubling per failure in a row, up to the maximum. */
export const AVOID_FIRST_MS = 30_000;
export const AVOID_MAX_MS = 10 * 60_000;
/** A target whose facts show it cannot take jobs (no CRIU, blocks guests) is avoided at least this long. */
export const FACTS_AVOID_MS = 5 * 60_000;
/** Failures older than this are forgotten: the next one starts the doubling afresh. */
const FORGET_MS = AVOID_MAX_MS * 2;

interface Trouble {
  failures: number;
  until: number;
  at: number;
  why: string;
  /** Only because it blocked guests: news from it, newer than `at`, that it no longer blocks ends it. */
  liftedByNews?: boolean;
}

/** What a target's facts say against it; `blocks`: it blocks guests, which its gossiped entries also tell. */
export interface TargetProblem {
  why: string;
  blocks?: boolean;
}

/** News of a node in the view: whether its newest entry says it blocks guests, and when it arrived (our clock). */
export interface TargetNews {
  node: NodeId;
  blocks: boolean;
  at: number;
}

export class TargetTrouble {
  private readonly nodes = new Map<NodeId, Trouble>();

  /** A move to `node` failed with `why`. Returns how long the node is avoided now, ms. */
  failed(node: NodeId, why: string, now: number): number {
    const prev = this.live(node, now);
    const failures = (prev?.failures ?? 0) + 1;
    const ms = Math.min(AVOID_MAX_MS, AVOID_FIRST_MS * 2 ** (failures - 1));
    this.nodes.set(node, { failures, until: Math.max(prev?.until ?? 0, now + ms), at: now, why });
    return ms;
  }

  /**
   * The target's own facts show why it cannot take jobs: that is the reason shown, for at least
   * FACTS_AVOID_MS. A node that blocks guests says so in every entry it gossips, so with
   * `liftedByNews` the avoidance ends as soon as news from it says it no longer blocks
   * (mosctl noblock): the admin's word counts at once, not minutes later.
   */
  factsSay(node: NodeId, problem: string, now: number, o: { liftedByNews?: boolean } = {}): void {
    const prev = this.live(node, now);
    this.nodes.set(node, {
      failures: prev?.failures ?? 1,
      until: Math.max(prev?.until ?? 0, now + FACTS_AVOID_MS),
      at: now,
      why: problem,
      ...(o.liftedByNews ? { liftedByNews: true } : {}),
    });
  }

  /** The view's news of the targets: a node avoided only for blocking guests is a target again once it stops. */
  news(view: readonly TargetNews[]): void {
    for (const n of view) {
      const t = this.nodes.get(n.node);
      if (t?.liftedByNews && !n.blocks && n.at > t.at) this.nodes.delete(n.node);
    }
  }

  /** A move to `node` worked: it is a good target again. */
  succeeded(node: NodeId): void {
    this.nodes.delete(node);
  }

  private live(node: NodeId, now: number): Trouble | undefined {
    const t = this.nodes.get(node);
    if (t && now - t.at > FORGET_MS) {
      this.nodes.delete(node);
      return undefined;
    }
    return t;
  }

  /** Nodes not to pick now, with why (decide's `avoid`). */
  avoided(now: number): Map<NodeId, string> {
    return new Map(this.list(now).map((a) => [a.node, a.why]));
  }

  list(now: number): AvoidedTarget[] {
    const out: AvoidedTarget[] = [];
    for (const node of [...this.nodes.keys()].sort((a, b) => a - b)) {
      const t = this.live(node, now);
      if (t && t.until > now) out.push({ node, why: t.why, forS: Math.ceil((t.until - now) / 1000) });
    }
    return out;
  }
}
