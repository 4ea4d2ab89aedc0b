/**
 * Which node the others reject. The signal: a peer P "rejects" node N when, within the last
 * RECENT_MS, P dropped datagrams from N's address as forged and took none from N since (a
 * datagram sealed with another cluster key does not open). N is shown cut off when more of
 * the reporting peers reject it than take its datagrams: in a 3-1 split only the odd node, in
 * an even split every node (the cluster is split in halves), and a forger who borrows one
 * node's address fools one peer, not the majority. Nodes' "ago" figures come from their own
 * clocks, so no two clocks are compared.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { ClusterInfo, PeerTraffic } from '../../shared/protocol/agent.js';

export const RECENT_MS = 10_000;

export interface NodeReport {
  id: NodeId;
  /** How this GUI knows the node: map host and resolved address (to place forged datagrams the map does not name). */
  addresses: string[];
  info: ClusterInfo;
}

type Verdict = 'rejects' | 'accepts' | undefined;

function judge(entries: readonly PeerTraffic[], recentMs: number): Verdict {
  const newest = (xs: (number | null)[]) => xs.reduce<number | null>((a, x) => (x === null ? a : a === null ? x : Math.min(a, x)), null);
  const forged = newest(entries.map((e) => e.forgedAgoMs));
  const taken = newest(entries.map((e) => e.acceptedAgoMs));
  if (forged !== null && forged <= recentMs && (taken === null || taken > forged)) return 'rejects';
  if (taken !== null && taken <= recentMs) return 'accepts';
  return undefined;
}

const list = (ids: NodeId[]) => (ids.length === 1 ? `node ${ids[0]}` : `nodes ${ids.join(', ')}`);

/** Node ID -> what its row says, for the nodes their peers reject. */
export function rejections(reports: readonly NodeReport[], recentMs = RECENT_MS): Map<NodeId, string> {
  const subject = (e: PeerTraffic) => e.nodeId ?? reports.find((r) => r.addresses.includes(e.address))?.id;
  const out = new Map<NodeId, string>();
  for (const n of reports) {
    const rejecters: NodeReport[] = [];
    let acceptors = 0;
    for (const p of reports) {
      if (p.id === n.id) continue;
      const v = judge(p.info.peers.filter((e) => subject(e) === n.id), recentMs);
      if (v === 'rejects') rejecters.push(p);
      else if (v === 'accepts') acceptors++;
    }
    if (rejecters.length === 0 || rejecters.length <= acceptors) continue;
    const theirs = [...new Set(rejecters.map((p) => p.info.keyId).filter((k): k is string => k !== null))];
    const keys = n.info.keyId && theirs.length > 0 && !theirs.includes(n.info.keyId) ? ` (this node has key ${n.info.keyId}, they have ${theirs.join(', ')})` : '';
    out.set(n.id, `peers reject this node's cluster key: ${list(rejecters.map((p) => p.id))} drop${rejecters.length === 1 ? 's' : ''} its load-exchange datagrams as forged${keys}`);
  }
  return out;
}
