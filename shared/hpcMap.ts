/**
 * The openMosix map file (/etc/hpc.map, chapter 5.4.2 of the HOWTO):
 *   ID  host-or-IP  range-size
 *   ID  IP          ALIAS        (a second address of node ID)
 * A range-size n > 1 gives nodes ID..ID+n-1 by counting up the last byte of the IP.
 */
import type { NodeId } from './domain/node.js';

export interface MapNode {
  id: NodeId;
  /** Host name or IP address the node is reached at. */
  host: string;
  /** Further addresses of the node (ALIAS lines). */
  aliases: string[];
  /** 1-based line of the map file that defined the node. */
  line: number;
}

export class MapError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'MapError';
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const MAX_NODE_ID = 65535;

function parseIpv4(s: string): number[] | undefined {
  const m = IPV4.exec(s);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

/** Parses map text; throws MapError naming the file, line and what to fix. */
export function parseHpcMap(text: string, file = 'hpc.map'): MapNode[] {
  const nodes = new Map<NodeId, MapNode>();
  const aliases: { id: NodeId; host: string; line: number }[] = [];
  const hostsSeen = new Map<string, number>();
  const lines = text.split(/\r?\n/);

  lines.forEach((raw, i) => {
    const line = i + 1;
    const content = raw.replace(/#.*/, '').trim();
    if (!content) return;
    const fields = content.split(/\s+/);
    const fail = (problem: string): never => {
      throw new MapError(file, line, problem);
    };
    if (fields.length !== 3) {
      fail(`expected 3 fields "ID host range-size" (e.g. "1 192.168.1.1 4"), found ${fields.length}: "${content}"`);
    }
    const [idText, host, countText] = fields as [string, string, string];
    if (!/^\d+$/.test(idText) || Number(idText) < 1 || Number(idText) > MAX_NODE_ID) {
      fail(`node ID "${idText}" must be a whole number from 1 to ${MAX_NODE_ID}`);
    }
    const id = Number(idText);
    const ip = parseIpv4(host);
    if (!ip && (!HOSTNAME.test(host) || /^[\d.]+$/.test(host))) {
      fail(`"${host}" is neither an IPv4 address nor a valid host name`);
    }
    const noteHost = (h: string) => {
      const other = hostsSeen.get(h);
      if (other !== undefined) fail(`address ${h} is already used on line ${other}`);
      hostsSeen.set(h, line);
    };
    if (countText.toUpperCase() === 'ALIAS') {
      noteHost(host);
      aliases.push({ id, host, line });
      return;
    }
    if (!/^\d+$/.test(countText) || Number(countText) < 1) {
      fail(`range-size "${countText}" must be a whole number >= 1 or ALIAS`);
    }
    const count = Number(countText);
    if (count > 1 && !ip) {
      fail(`a range-size greater than 1 needs an IP address, not the host name "${host}"`);
    }
    if (ip && ip[3]! + count - 1 > 255) {
      fail(`range ${host} + ${count} runs past the end of the subnet (last byte ${ip[3]! + count - 1} > 255)`);
    }
    if (id + count - 1 > MAX_NODE_ID) fail(`node IDs ${id}..${id + count - 1} exceed ${MAX_NODE_ID}`);
    for (let k = 0; k < count; k++) {
      const nodeId = id + k;
      const existing = nodes.get(nodeId);
      if (existing) fail(`node ${nodeId} is already defined on line ${existing.line}`);
      const nodeHost = ip ? `${ip[0]}.${ip[1]}.${ip[2]}.${ip[3]! + k}` : host;
      noteHost(nodeHost);
      nodes.set(nodeId, { id: nodeId, host: nodeHost, aliases: [], line });
    }
  });

  for (const a of aliases) {
    const node = nodes.get(a.id);
    if (!node) throw new MapError(file, a.line, `ALIAS for node ${a.id}, but node ${a.id} is not defined in the map`);
    node.aliases.push(a.host);
  }
  if (nodes.size === 0) throw new MapError(file, lines.length || 1, 'the map defines no nodes');
  return [...nodes.values()].sort((x, y) => x.id - y.id);
}

/** Writes nodes back in map syntax, folding consecutive IPs into ranges (setpe -r). */
export function formatHpcMap(nodes: readonly MapNode[]): string {
  const out: string[] = [];
  const sorted = [...nodes].sort((x, y) => x.id - y.id);
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i]!;
    const ip = parseIpv4(first.host);
    let count = 1;
    while (ip && first.aliases.length === 0) {
      const next = sorted[i + count];
      const nip = next && parseIpv4(next.host);
      if (!next || !nip || next.aliases.length || next.id !== first.id + count) break;
      if (nip.slice(0, 3).join('.') !== ip.slice(0, 3).join('.') || nip[3] !== ip[3]! + count) break;
      count++;
    }
    out.push(`${first.id}\t${first.host}\t${count}`);
    for (const a of first.aliases) out.push(`${first.id}\t${a}\tALIAS`);
    i += count;
  }
  return out.join('\n') + '\n';
}
