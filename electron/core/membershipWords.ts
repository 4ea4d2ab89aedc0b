/** What a node's row and the cluster key banner say about membership: pure, from the facts the membership keeps. */
import type { ClusterInfo } from '../../shared/protocol/agent.js';
import type { NodeId, NodeView } from '../../shared/domain/node.js';
import type { KeyVerdict } from './keyVerdict.js';

const list = (ids: NodeId[]) => (ids.length === 1 ? `node ${ids[0]}` : `nodes ${ids.join(', ')}`);

export function rotateBlockedText(down: readonly NodeView[]): string {
  const which = down.map((v) => `node ${v.id} is ${v.status}${v.reason ? ` (${v.reason})` : ''}`).join('; ');
  return `rotation needs every node up: ${which}. A node that is down during a rotation keeps the old key: the others would drop its datagrams as forged, and it would stay cut off until rotated too`;
}

/** The row's warning: a problem installing comes first, then what the key verdict holds back, then a node outside the load exchange. */
export function membershipWarning(problem: string | undefined, v: KeyVerdict, info: ClusterInfo, ownMap: boolean): string | undefined {
  if (problem) return problem;
  if (!info.keyInstalled || (info.map.length === 0 && info.leftAt === null)) {
    if (v.kind === 'waiting') return `no cluster key or map installed yet: waiting for ${list(v.on)} to answer (it may hold the cluster's key)`;
    if (v.kind === 'conflict') return "nothing installed here: this GUI's cluster key is not the cluster's (see the cluster key banner)";
  }
  if (info.listening || ownMap) return undefined;
  return `no load exchange or migration with other nodes: ${info.problem ?? (info.keyInstalled ? 'peer channel not running' : 'no cluster key installed')}`;
}
