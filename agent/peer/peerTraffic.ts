/**
 * Who this node hears over the load exchange, per peer: datagrams taken (by the sealed
 * sender ID) and datagrams dropped as forged (by source address: they do not open). A peer
 * whose datagrams all turn up forged holds another cluster key; the GUI compares these
 * reports across nodes to show which node the others reject (electron/core/peerRejection.ts).
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { MapNode } from '../../shared/hpcMap.js';
import type { PeerTraffic } from '../../shared/protocol/agent.js';

interface Tally {
  n: number;
  at: number;
}

/** Spoofed source addresses cost at most this many entries; the oldest go first. */
export const MAX_FORGED_ADDRESSES = 64;
/** Addresses the map does not name, reported at most (most recent first). */
const MAX_STRANGERS = 8;

export class TrafficLog {
  private readonly taken = new Map<NodeId, Tally>();
  private readonly forgedFrom = new Map<string, Tally>();

  constructor(private readonly now: () => number = Date.now) {}

  accepted(from: NodeId): void {
    const t = this.taken.get(from);
    this.taken.set(from, { n: (t?.n ?? 0) + 1, at: this.now() });
  }

  forged(address: string): void {
    const t = this.forgedFrom.get(address);
    // Re-inserted so the Map's order stays oldest-first for eviction.
    this.forgedFrom.delete(address);
    this.forgedFrom.set(address, { n: (t?.n ?? 0) + 1, at: this.now() });
    if (this.forgedFrom.size > MAX_FORGED_ADDRESSES) this.forgedFrom.delete(this.forgedFrom.keys().next().value as string);
  }

  /** One entry per peer of the map (self left out), then forged senders the map does not name. */
  report(nodes: readonly MapNode[], selfId: NodeId | undefined): PeerTraffic[] {
    const now = this.now();
    const ago = (t: Tally | undefined) => (t ? Math.max(0, now - t.at) : null);
    const named = new Set<string>();
    const out: PeerTraffic[] = [];
    for (const node of nodes) {
      const hosts = [node.host, ...node.aliases];
      hosts.forEach((h) => named.add(h));
      if (node.id === selfId) continue;
      const forged = hosts.map((h) => [h, this.forgedFrom.get(h)] as const).filter((e): e is readonly [string, Tally] => e[1] !== undefined);
      const latest = forged.reduce<readonly [string, Tally] | undefined>((a, e) => (!a || e[1].at > a[1].at ? e : a), undefined);
      const taken = this.taken.get(node.id);
      out.push({
        nodeId: node.id,
        address: latest?.[0] ?? node.host,
        accepted: taken?.n ?? 0,
        forged: forged.reduce((a, e) => a + e[1].n, 0),
        acceptedAgoMs: ago(taken),
        forgedAgoMs: ago(latest?.[1]),
      });
    }
    const strangers = [...this.forgedFrom].filter(([a]) => !named.has(a)).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_STRANGERS);
    for (const [address, t] of strangers) out.push({ nodeId: null, address, accepted: 0, forged: t.n, acceptedAgoMs: null, forgedAgoMs: ago(t) });
    return out;
  }
}
