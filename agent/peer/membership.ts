/**
 * Which cluster this node belongs to: the map (setpe -w, or the GUI) and this node's ID
 * in it. Stored in the state directory so the daemon finds them after a restart.
 */
import { readFileSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { parseHpcMap, type MapNode } from '../../shared/hpcMap.js';
import type { NodeId } from '../../shared/domain/node.js';
import { writeAtomic } from '../stateDir.js';

export const MAP_FILE = 'hpc.map';
export const NODE_ID_FILE = 'node-id';

export interface Membership {
  selfId: NodeId;
  nodes: MapNode[];
}

export function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
}

/** openMosix found its own ID by its addresses; a map entry naming this host also counts. */
export function findSelfId(nodes: readonly MapNode[], addresses: readonly string[], hostname: string): NodeId | undefined {
  return nodes.find((n) => [n.host, ...n.aliases].some((h) => addresses.includes(h) || h === hostname))?.id;
}

export function loadMembership(stateDir: string, hostname: string): Membership | undefined {
  let text: string;
  try {
    text = readFileSync(join(stateDir, MAP_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const nodes = parseHpcMap(text, join(stateDir, MAP_FILE));
  let selfId: NodeId | undefined;
  try {
    selfId = Number(readFileSync(join(stateDir, NODE_ID_FILE), 'utf8').trim()) || undefined;
  } catch {
    selfId = findSelfId(nodes, localAddresses(), hostname);
  }
  return selfId && nodes.some((n) => n.id === selfId) ? { selfId, nodes } : undefined;
}

/** Validates and stores a map (and optionally this node's ID); throws MapError on a bad map. */
export function saveMembership(stateDir: string, mapText: string, selfId: NodeId | undefined, hostname: string): Membership {
  // From a client's request (cluster.configure): JSON may carry anything.
  if (typeof mapText !== 'string') throw new Error(`the map must be the text of a map file (hpc.map syntax), not ${JSON.stringify(mapText)}`);
  const nodes = parseHpcMap(mapText, 'map');
  const id = selfId ?? findSelfId(nodes, localAddresses(), hostname);
  if (!id || !nodes.some((n) => n.id === id)) {
    throw new Error(`this node (${hostname}: ${localAddresses().join(', ')}) is not in the map: add it, or give its node ID`);
  }
  writeAtomic(join(stateDir, MAP_FILE), mapText.endsWith('\n') ? mapText : mapText + '\n', 0o644);
  if (selfId !== undefined) writeAtomic(join(stateDir, NODE_ID_FILE), `${selfId}\n`, 0o644);
  else rmSync(join(stateDir, NODE_ID_FILE), { force: true });
  return { selfId: id, nodes };
}

export function clearMembership(stateDir: string): void {
  rmSync(join(stateDir, MAP_FILE), { force: true });
  rmSync(join(stateDir, NODE_ID_FILE), { force: true });
}
