/**
 * The collector's node gathers the alert events the other nodes' agents saw (a migration
 * that failed there, datagrams refused there): without it the collector's rules would see
 * only its own node's. Each peer has its own cursor; a peer that has not answered is not
 * asked again until it does (a slow node is not piled up with requests); what a peer kept
 * before this node first reached it is not news, as the collector treats its own agent's.
 * When no collector reads for a while the pulling stops and the cursors are forgotten: what
 * the peers keep meanwhile is not news to the next collector either.
 *
 * Each peer tells where its log stands in the load exchange (its entry's alertLog mark), so a
 * peer is asked only when that moved past the cursor or names another run (it restarted):
 * asking 63 peers over TLS every second was most of the collector node's CPU. The mark is a
 * level, not a change: a lost datagram only delays the ask to the next one that arrives. A
 * peer that tells no mark (an older agent) is asked every time, as before.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { AlertEvent, EventLogMark } from '../../shared/alerts/alertEvents.js';

/** `boot` is the run the cursor is of (undefined: the peer named none), so a restarted peer answers with all it keeps. */
export type AskPeerEvents = (node: NodeId, since: number, boot: number | undefined) => Promise<{ events: AlertEvent[]; next: number; boot?: number }>;

/** A peer as the cluster view shows it: its ID and the mark its latest exchange entry told, if any. */
export interface PeerMark {
  node: NodeId;
  mark?: EventLogMark;
}

interface Cursor {
  seq: number;
  boot: number | undefined;
}

/**
 * Whether a peer must be asked: never asked, no mark told, another run, or newer events than
 * the cursor. A stale mark of the run before a restart is asked too (the clock that names runs
 * may have gone back): the answer then adds nothing, until the newer entry arrives.
 */
function mustAsk(cursor: Cursor | undefined, mark: EventLogMark | undefined): boolean {
  if (!cursor || !mark || cursor.boot === undefined) return true;
  return mark.boot !== cursor.boot || mark.seq > cursor.seq;
}

export class PeerEventPull {
  private readonly cursors = new Map<NodeId, Cursor>();
  private readonly asking = new Set<NodeId>();
  /** Bumped by forget(): an answer to a question asked before it sets no cursor and adds nothing. */
  private epoch = 0;

  constructor(
    private readonly ask: AskPeerEvents,
    private readonly add: (e: Omit<AlertEvent, 'seq'>) => void,
  ) {}

  /** Asks each peer whose mark moved for its events since the last answer; resolves when all answered or failed. */
  async pull(peers: readonly PeerMark[]): Promise<void> {
    const due = peers.filter((p) => !this.asking.has(p.node) && mustAsk(this.cursors.get(p.node), p.mark));
    await Promise.all(due.map((p) => this.pullOne(p.node, p.mark !== undefined)));
  }

  /** No collector reads any more: the next pull starts each peer afresh (primes, adds nothing). */
  forget(): void {
    if (this.cursors.size === 0 && this.asking.size === 0) return;
    this.cursors.clear();
    this.epoch++;
  }

  /** `tellsMark`: an agent that tells no mark is older and refuses a request naming the run. */
  private async pullOne(node: NodeId, tellsMark: boolean): Promise<void> {
    this.asking.add(node);
    const epoch = this.epoch;
    try {
      const seen = this.cursors.get(node);
      const { events, next, boot } = await this.ask(node, seen?.seq ?? 0, tellsMark ? seen?.boot : undefined);
      if (epoch !== this.epoch) return;
      if (seen !== undefined) for (const { seq: _seq, ...e } of events) this.add(e);
      this.cursors.set(node, { seq: next, boot });
    } catch {
      // Unreachable now: asked again at the next sample, from the same cursor (nothing is lost while it keeps them).
    } finally {
      this.asking.delete(node);
    }
  }
}
