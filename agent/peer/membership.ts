/**
 * Which cluster this node belongs to: the map (setpe -w, or the GUI) and this node's ID
 * in it. Stored in the state directory so the daemon finds them after a restart, with who
 * installed the map and whether the admin left the cluster (setpe -off): what was done on
 * the node wins over a GUI, which installs a map only on a node that has none and never left.
 */
import { readFileSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { parseHpcMap, type MapNode } from '../../shared/hpcMap.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { MapOrigin } from '../../shared/protocol/agent.js';
import { writeAtomic } from '../stateDir.js';

export const MAP_FILE = 'hpc.map';
export const NODE_ID_FILE = 'node-id';
export const MAP_ORIGIN_FILE = 'map-origin';
export const LEFT_FILE = 'left-cluster';

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

/**
 * Validates and stores a map (and optionally this node's ID); throws MapError on a bad map. Joining
 * again ends a setpe -off. `file`: the map file it came from (by 'file': applied at the agent's start).
 */
export function saveMembership(stateDir: string, mapText: string, selfId: NodeId | undefined, hostname: string, by: MapOrigin = 'setpe', file?: string): Membership {
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
  writeAtomic(join(stateDir, MAP_ORIGIN_FILE), by === 'file' && file ? `file ${file}\n` : `${by}\n`, 0o644);
  rmSync(join(stateDir, LEFT_FILE), { force: true });
  return { selfId: id, nodes };
}

/** setpe -off: the map goes, and the leaving is recorded (with when) so that a GUI does not undo it. */
export function clearMembership(stateDir: string, leftAt: Date): void {
  writeAtomic(join(stateDir, LEFT_FILE), `${leftAt.toISOString()}\n`, 0o644);
  for (const f of [MAP_FILE, NODE_ID_FILE, MAP_ORIGIN_FILE]) rmSync(join(stateDir, f), { force: true });
}

function readWord(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Who installed the map; null when not recorded (a map from an older agent counts as the node's own). */
export function readMapOrigin(stateDir: string): MapOrigin | null {
  const w = readWord(join(stateDir, MAP_ORIGIN_FILE));
  if (w === 'file' || w?.startsWith('file ')) return 'file';
  return w === 'gui' || w === 'setpe' ? w : null;
}

/** The map file the agent applied its map from at its start (map origin 'file'), or undefined. */
export function readMapFile(stateDir: string): string | undefined {
  const w = readWord(join(stateDir, MAP_ORIGIN_FILE));
  return w?.startsWith('file ') ? w.slice(5) : undefined;
}

/** When the admin left the cluster with setpe -off (ISO time), or null. */
export function readLeftAt(stateDir: string): string | null {
  const w = readWord(join(stateDir, LEFT_FILE));
  return w === undefined ? null : w || 'unknown time';
}
