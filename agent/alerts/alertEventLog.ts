/** The events an agent keeps for the collector's alert rules, and the exchange's refusals in words. Pure. */
import type { AlertEvent, EventLogMark } from '../../shared/alerts/alertEvents.js';
import type { PeerTraffic } from '../../shared/protocol/agent.js';
import type { ExchangeStats } from '../../shared/protocol/peer.js';

/** The collector reads once a second: a few hundred events cover any stall it recovers from. */
export const KEEP_EVENTS = 200;

export class EventLog {
  private events: AlertEvent[] = [];
  private seq = 0;

  /** `boot` names this run of the agent: the log lives in memory, so its numbers start again after a restart. */
  constructor(readonly boot = Date.now()) {}

  mark(): EventLogMark {
    return { boot: this.boot, seq: this.seq };
  }

  add(e: Omit<AlertEvent, 'seq'>): void {
    this.events.push({ ...e, seq: ++this.seq });
    if (this.events.length > KEEP_EVENTS) this.events.splice(0, this.events.length - KEEP_EVENTS);
  }

  /**
   * The events after `since` of run `boot`; a cursor of another run, or (from a reader that
   * names no run) a `since` beyond the last, means this agent restarted since: all of them.
   */
  since(since: number, boot?: number): { events: AlertEvent[]; next: number; boot: number } {
    const otherRun = boot !== undefined ? boot !== this.boot : since > this.seq;
    const from = otherRun ? 0 : since;
    return { events: this.events.filter((e) => e.seq > from), next: this.seq, boot: this.boot };
  }
}

/** What the exchange refused between two readings of its counters, one event per kind, naming the senders of forged ones. */
export function refusalEvents(before: ExchangeStats, now: ExchangeStats, forgedBefore: ReadonlyMap<string, number>, peers: readonly PeerTraffic[]): Omit<AlertEvent, 'seq' | 'node'>[] {
  const out: Omit<AlertEvent, 'seq' | 'node'>[] = [];
  const forged = now.forged - before.forged;
  if (forged > 0) {
    const from = peers.filter((p) => p.forged > (forgedBefore.get(p.address) ?? 0)).map((p) => (p.nodeId !== null ? `${p.address} (node ${p.nodeId})` : p.address));
    out.push({ rule: 'exchangeRefused', text: `${forged} forged load-exchange datagram(s) refused (not sealed with this cluster's key)${from.length ? ` from ${from.join(', ')}` : ''}` });
  }
  const replayed = now.replayed - before.replayed;
  if (replayed > 0) out.push({ rule: 'exchangeRefused', text: `${replayed} replayed load-exchange datagram(s) refused (a sequence number already seen)` });
  return out;
}
