/**
 * Before a runon or parallel start records anything: every node it names must be in the
 * cluster map. A node that does not exist never answers, so its start would stay pending
 * (and be retried) for ever.
 */
import type { NodeId } from '../domain/node.js';
import { parallelTargets, type RunMode } from './runModes.js';

/** "1, 3-5, 7": sorted, runs of consecutive nodes as ranges. */
export function nodeList(nodes: readonly NodeId[]): string {
  const sorted = [...new Set(nodes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** Why the start cannot go to the nodes it names, or undefined; `map` empty = not known. */
export function startNodesProblem(mode: RunMode, map: readonly NodeId[]): string | undefined {
  const known = map.length > 0;
  const inMap = `it has nodes ${nodeList(map)}`;
  if (mode.kind === 'parallel') {
    const lo = Math.min(mode.first, mode.last);
    const hi = Math.max(mode.first, mode.last);
    if (mode.invert) {
      if (!known) return '--invert needs the cluster map to know the other nodes, and this node has none installed (setpe -w -f MAP); nothing started';
      if (parallelTargets(mode, map).length === 0) {
        return `no node is left: every node of the map (${nodeList(map)}) is within ${lo}-${hi}, and --invert starts on the others only; nothing started`;
      }
      return undefined;
    }
    if (!known) return undefined;
    const missing: NodeId[] = [];
    for (let n = lo; n <= hi; n++) if (!map.includes(n)) missing.push(n);
    if (missing.length === 0) return undefined;
    const which = missing.length === 1 ? `node ${missing[0]} is` : `nodes ${nodeList(missing)} are`;
    return `${which} not in the cluster map (${inMap}): nothing started; choose FIRST-LAST within the map`;
  }
  if (mode.node === undefined || !known || map.includes(mode.node)) return undefined;
  return `there is no node ${mode.node} in the cluster map (${inMap}): nothing started`;
}
