/**
 * The mosctl readers about any node, as text: pure functions of the cluster view (and
 * of a node's own sample where the view lacks the figure), so the CLI stays thin.
 */
import type { NodeId, NodeSample } from '../../shared/domain/node.js';
import type { MapNode } from '../../shared/hpcMap.js';
import type { ViewNode } from '../../shared/balancing/types.js';
import type { GetWhat, WhoisTarget } from './controls.js';
import type { BalanceState, MoveReport } from '../../shared/protocol/agentBalance.js';
import type { ClusterInfo } from '../../shared/protocol/agent.js';

/** Figures of one node as the readers need them, whether from the view or a sample. */
export interface NodeFigures {
  load: number;
  speed: number;
  cpus: number;
  util: number;
  memAvailKb: number;
  memTotalKb: number;
  freeKb?: number;
}

export function figuresOfSample(s: NodeSample): NodeFigures {
  return { load: s.load, speed: s.speed, cpus: s.cpus, util: s.util, memAvailKb: s.mem.availableKb, memTotalKb: s.mem.totalKb, freeKb: s.mem.freeKb };
}

/** openMosix units: load x100 (100 = one runnable task), memory in bytes, utilisation in %. */
export function formatGet(what: GetWhat, f: NodeFigures): string {
  switch (what) {
    case 'load':
      return String(Math.round(f.load * 100));
    case 'speed':
      return String(f.speed);
    case 'mem':
      return String(f.memAvailKb * 1024);
    case 'free':
      return String((f.freeKb ?? f.memAvailKb) * 1024);
    case 'util':
      return `${Math.round(f.util)}%`;
  }
}

export const onOff = (b: boolean): string => (b ? 'on' : 'off');

export function hostOf(map: readonly MapNode[], id: NodeId): string {
  return map.find((n) => n.id === id)?.host ?? '?';
}

/** One line about another node from the view: what `mosctl status N` prints. */
export function formatPeerStatus(v: ViewNode | undefined, id: NodeId, map: readonly MapNode[]): string {
  const name = `Node ${id} (${hostOf(map, id)})`;
  if (!map.some((n) => n.id === id)) return `Node ${id} is not in this cluster's map`;
  if (!v) return `${name} is down: no news of it has arrived yet`;
  const age = (v.ageMs / 1000).toFixed(1);
  if (!v.up) return `${name} is down: no news of it for ${age} s (last load ${v.load.toFixed(2)})`;
  const memPct = v.memTotalKb > 0 ? Math.round((100 * v.memAvailKb) / v.memTotalKb) : 0;
  return (
    `${name} is up: speed ${v.speed}, ${v.cpus} CPU(s), load ${v.load.toFixed(2)}, utilisation ${Math.round(v.util)}%, ` +
    `memory ${Math.round(v.memAvailKb / 1024)} of ${Math.round(v.memTotalKb / 1024)} MB available (${memPct}%), ` +
    `guests ${v.block ? 'blocked' : 'allowed'}; news ${age} s old`
  );
}

/** `mosctl status` about this node: its figures, membership, controls, balancer and exchange counters. */
/** Where this node's map came from, so an admin knows what to change (the GUI, setpe, or the packaged map file). */
export function mapOriginLine(c: Pick<ClusterInfo, 'nodeId' | 'mapBy' | 'mapFile'>): string | undefined {
  if (c.nodeId === null) return undefined;
  switch (c.mapBy) {
    case 'gui': return 'Map: installed by Mosixview (the GUI that opened this cluster)';
    case 'setpe': return 'Map: installed with setpe';
    case 'file': return `Map: read at the agent's start from ${c.mapFile ?? 'its map file'}`;
    default: return 'Map: who installed it is not recorded (an older agent did)';
  }
}

export function formatOwnStatus(s: NodeSample, c: ClusterInfo, b: BalanceState | undefined): string[] {
  const out = [`This node (${s.hostname}) is up: speed ${s.speed}, ${s.cpus} CPU(s), load ${s.load.toFixed(2)}, utilisation ${Math.round(s.util)}%`];
  out.push(
    c.nodeId === null
      ? `Not in a cluster: no map installed (setpe -w -f /etc/hpc.map, or open the cluster in Mosixview)`
      : `Node ${c.nodeId} of ${c.map.length}; cluster key ${c.keyInstalled ? 'installed' : 'MISSING'}; peer channel ${c.listening ? `listening on port ${c.port}` : `not running${c.problem ? `: ${c.problem}` : ''}`}`,
  );
  const origin = mapOriginLine(c);
  if (origin) out.push(origin);
  if (b) {
    const f = b.flags;
    out.push(`Flags: stay ${onOff(f.stay)}, lstay ${onOff(f.lstay)}, block ${onOff(f.block)}, quiet ${onOff(f.quiet)} (automigration ${onOff(!f.stay)})`);
    out.push(`Decay: interval ${b.decay.intervalS} s, slowdecay ${b.decay.slow}, fastdecay ${b.decay.fast}`);
    out.push(`Balancer: ${b.canMigrate ? 'moves jobs' : 'moves no jobs'}; ${b.moves} move(s), ${b.failedMoves} failed; ${b.jobs} job(s) tracked, ${b.guests} guest(s) here, ${b.away} own job(s) away${b.note ? `; ${b.note}` : ''}`);
    for (const h of b.held ?? []) out.push(`Job ${h.job} stays here: ${h.why}`);
    for (const a of b.avoiding ?? []) out.push(`Node ${a.node} gets no jobs from here for ${a.forS} s: ${a.why}`);
  }
  const x = c.exchange;
  out.push(`Load exchange: ${x.accepted} accepted, ${x.forged} forged, ${x.stale} stale, ${x.replayed} replayed, ${x.ahead} too far ahead`);
  return out;
}

/**
 * whois: no target names this node; an ID gives its address; an address or host name
 * gives its ID. `resolved` holds the target host's IPv4 addresses, when it was looked up.
 */
export function formatWhois(map: readonly MapNode[], self: NodeId | null, target: WhoisTarget | undefined, resolved: readonly string[] = []): { ok: boolean; text: string } {
  const line = (n: MapNode) => `${n.id}\t${n.host}${n.aliases.length ? `\t(${n.aliases.join(', ')})` : ''}`;
  if (!target) {
    const n = map.find((m) => m.id === self);
    return n ? { ok: true, text: line(n) } : { ok: false, text: 'this node has no openMosix ID: no map installed (setpe -w -f MAP)' };
  }
  if (target.by === 'id') {
    const n = map.find((m) => m.id === target.id);
    return n ? { ok: true, text: line(n) } : { ok: false, text: `no node ${target.id} in this cluster's map` };
  }
  const names = target.by === 'ip' ? [target.ip] : [target.host, ...resolved];
  const n = map.find((m) => [m.host, ...m.aliases].some((h) => names.includes(h)));
  const asked = target.by === 'ip' ? target.ip : target.host;
  return n ? { ok: true, text: line(n) } : { ok: false, text: `${asked} is not in this cluster's map` };
}

export function formatReport(what: 'expel' | 'bring', r: MoveReport): string[] {
  const out: string[] = [];
  out.push(r.moved.length ? `${what}: ${r.moved.length} job(s) sent home: ${r.moved.join(', ')}` : `${what}: no job moved`);
  for (const f of r.failed) out.push(`  job ${f.job} stayed: ${f.why}`);
  for (const u of r.unreachable) out.push(`  node ${u.node} could not be asked: ${u.why}`);
  if (r.note) out.push(`  ${r.note}`);
  return out;
}
