/**
 * What wins between the node and the GUI over the map: the node. What the admin did there
 * (setpe -w FILE, setpe -off) stays; the GUI installs the profile's map only on a node that
 * has none and never left, and otherwise says how the node differs ("Install the profile's
 * map on node N" is the admin's explicit way to make it the profile's).
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { ClusterInfo } from '../../shared/protocol/agent.js';
import { formatHpcMap, type MapNode } from '../../shared/hpcMap.js';

export interface MapPlan {
  /** The node has no map and did not leave: the GUI installs the profile's. */
  install: boolean;
  /** How the node's own map differs from the profile's (the row shows it, with the install button). */
  ownMap?: string;
}

const nodes = (n: number) => `${n} node${n === 1 ? '' : 's'}`;
/** Each row with a map of the node's own says who wins, as the setpe -off row does. */
const KEPT = '; Mosixview keeps it (the node wins)';

function whose(info: ClusterInfo): string {
  if (info.mapBy === 'setpe') return 'its own map (setpe -w)';
  if (info.mapBy === 'gui') return 'a map from another Mosixview profile';
  if (info.mapBy === 'file') return `its own map (${info.mapFile ?? 'its map file'}, applied at the agent's start)`;
  return 'its own map';
}

/** The first node the two maps disagree about, in words. */
function firstDifference(theirs: readonly MapNode[], ours: readonly MapNode[]): string | undefined {
  const ids = [...new Set([...theirs, ...ours].map((n) => n.id))].sort((a, b) => a - b);
  for (const id of ids) {
    const t = theirs.find((n) => n.id === id);
    const o = ours.find((n) => n.id === id);
    if (!t) return `node ${id} is missing there`;
    if (!o) return `node ${id} (${t.host}) is not in the profile`;
    const addr = (n: MapNode) => [n.host, ...n.aliases].join(', ');
    if (addr(t) !== addr(o)) return `node ${id} is ${addr(t)} there, ${addr(o)} in the profile`;
  }
  return undefined;
}

export function mapPlan(id: NodeId, profile: readonly MapNode[], info: ClusterInfo): MapPlan {
  if (info.map.length === 0) {
    if (info.leftAt === null) return { install: true };
    return { install: false, ownMap: `node ${id} left the cluster (setpe -off on the node, ${info.leftAt}): Mosixview does not put the profile's map back unasked` };
  }
  if (formatHpcMap(info.map) !== formatHpcMap(profile)) {
    const sizes = `${nodes(info.map.length)}; the profile has ${profile.length}`;
    const diff = info.map.length === profile.length ? `${nodes(info.map.length)}, not the profile's: ${firstDifference(info.map, profile)}` : sizes;
    return { install: false, ownMap: `node ${id} has ${whose(info)}, ${diff}${KEPT}` };
  }
  if (info.nodeId !== id) return { install: false, ownMap: `node ${id} has the profile's map but calls itself node ${info.nodeId ?? '(none)'} in it${KEPT}` };
  return { install: false };
}
