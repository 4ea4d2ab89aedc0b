/**
 * Every Mosixview window is a route of one page (#/node/3, #/migrator/1/1.5, ...). The routes
 * live here, once: `routes.*` builds each, `parseRoute` reads any, and a route's kind is
 * also its window's kind, whose size is in WINDOW_SIZES. The renderer builds and switches on
 * routes (renderer/Router.tsx), the Electron main process sizes each BrowserWindow by its route,
 * and the layout test checks each window at exactly this size.
 */
import type { NodeId } from './domain/node.js';
import { jobKey, parseJobKey, type JobRef } from './domain/process.js';
import type { HistoryMetric } from './protocol/agentHistory.js';
import { HISTORY_METRIC_NAMES } from './protocol/agentHistory.validate.js';

export interface WindowSize {
  width: number;
  height: number;
}

/** The kinds of window; "main" is the main window. */
export const WINDOW_SIZES = {
  main: { width: 1120, height: 480 },
  node: { width: 620, height: 480 },
  allNodes: { width: 640, height: 760 },
  procs: { width: 900, height: 600 },
  clusterProcs: { width: 1180, height: 680 },
  remote: { width: 860, height: 480 },
  migrator: { width: 660, height: 640 },
  exec: { width: 780, height: 680 },
  loadHistory: { width: 1000, height: 640 },
  memHistory: { width: 1000, height: 760 },
  ioHistory: { width: 1000, height: 760 },
  procHistory: { width: 820, height: 600 },
  average: { width: 380, height: 220 },
  alerts: { width: 820, height: 640 },
  monitor: { width: 1100, height: 760 },
} as const satisfies Record<string, WindowSize>;

export type WindowKind = keyof typeof WINDOW_SIZES;

/** Where the process history opens: a moment (ms) of the current history or a backup, on one node or on all. */
export interface ProcHistoryMoment {
  t: number;
  node?: NodeId;
  backup?: string;
}

/** What the migrator acts on: a PID on its node, or a job by identity (followed as it moves). */
export type MigratorProcess = { pid: number } | { job: JobRef };

/** Every window's route, read; `kind` is its window's kind. */
export type Route =
  | { kind: 'main' }
  | { kind: 'node'; nodeId: NodeId }
  | { kind: 'allNodes' }
  | { kind: 'procs'; nodeId: NodeId }
  | { kind: 'clusterProcs' }
  | { kind: 'remote'; nodeId: NodeId }
  | { kind: 'migrator'; nodeId: NodeId; process: MigratorProcess }
  | { kind: 'exec'; nodeId?: NodeId }
  | { kind: 'loadHistory' }
  | { kind: 'memHistory' }
  | { kind: 'ioHistory' }
  | { kind: 'procHistory'; at?: ProcHistoryMoment }
  | { kind: 'average'; metric: HistoryMetric; nodeId: NodeId; backup?: string; range?: { from: number; to: number } }
  | { kind: 'alerts' }
  | { kind: 'monitor' };

/** A route that names a window but not well enough to open it: the window says why. */
export interface BadRoute {
  kind: 'bad';
  window: WindowKind;
  why: string;
}

export type RouteOf<K extends WindowKind> = Extract<Route, { kind: K }>;
// Every window kind is a route kind and back: a new window needs both.
type SameKinds = [WindowKind] extends [Route['kind']] ? ([Route['kind']] extends [WindowKind] ? true : never) : never;
const sameKinds: SameKinds = true;
void sameKinds;

/** The builders, one per window kind: each returns the route string (without "#/"). */
export const routes = {
  main: () => '',
  node: (nodeId: NodeId) => `node/${nodeId}`,
  allNodes: () => 'node/all',
  procs: (nodeId: NodeId) => `procs/${nodeId}`,
  /** Every process of every node that is up, in one table. */
  clusterProcs: () => 'procs/all',
  remote: (nodeId: NodeId) => `remote/${nodeId}`,
  /** A PID on the node, or a job by identity (HOME.ID). */
  migrator: (nodeId: NodeId, process: number | JobRef) => `migrator/${nodeId}/${typeof process === 'number' ? process : jobKey(process)}`,
  exec: (nodeId?: NodeId) => (nodeId === undefined ? 'exec' : `exec?node=${nodeId}`),
  loadHistory: () => 'history/load',
  memHistory: () => 'history/mem',
  /** Disk read/write and network receive/send of every node. */
  ioHistory: () => 'history/io',
  /** The stored lists; with a moment, the lists of that minute (on one node, or all), e.g. from a click in the load history. */
  procHistory: (at?: ProcHistoryMoment) =>
    at ? `history/procs/${at.backup ?? 'current'}/${Math.round(at.t)}${at.node !== undefined ? `/${at.node}` : ''}` : 'history/procs',
  /** A node's average of one metric over a range (ms) of the current history or a backup. */
  average: (metric: HistoryMetric, nodeId: NodeId, backup: string | undefined, range?: { from: number; to: number }) =>
    `history/average/${metric}/${nodeId}/${backup ?? 'current'}${range ? `/${Math.round(range.from)}/${Math.round(range.to)}` : ''}`,
  /** The alert rules (editable) and the active and recent alerts of the collector. */
  alerts: () => 'alerts',
  /** The migration monitor: the nodes as a ring, the jobs as dots, the moves as they happen. */
  monitor: () => 'monitor',
} as const satisfies { [K in WindowKind]: (...args: never[]) => string };

/** The route string of a read route (what its builder makes). */
export function routeString(r: Route): string {
  switch (r.kind) {
    case 'node': case 'procs': case 'remote':
      return routes[r.kind](r.nodeId);
    case 'migrator':
      return routes.migrator(r.nodeId, 'pid' in r.process ? r.process.pid : r.process.job);
    case 'exec':
      return routes.exec(r.nodeId);
    case 'average':
      return routes.average(r.metric, r.nodeId, r.backup, r.range);
    case 'procHistory':
      return routes.procHistory(r.at);
    default:
      return routes[r.kind]();
  }
}

/** The parts of a route, e.g. "migrator/1/1.5" -> ["migrator", "1", "1.5"]; a query stays on its part. */
export function routeParts(route: string): string[] {
  return route.replace(/^#?\/?/, '').split('/').filter(Boolean);
}

/** The route of a window's URL (its hash), e.g. "mosixview://app/index.html#/node/3" -> "node/3". */
export function routeOfUrl(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? '' : url.slice(i + 1).replace(/^\/+/, '');
}

const METRICS = HISTORY_METRIC_NAMES;
const nodeIdOf = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
const bad = (window: WindowKind, why: string): BadRoute => ({ kind: 'bad', window, why });

/** Reads a route (with or without "#/"); an unknown one is the main window, as it always was. */
export function parseRoute(route: string): Route | BadRoute {
  const [first = '', second, third, ...rest] = routeParts(route);
  const [name = '', query = ''] = first.split('?');
  const nodeId = nodeIdOf(second);
  switch (name) {
    case 'node':
      if (second === 'all') return { kind: 'allNodes' };
      return nodeId === undefined ? bad('node', `There is no node ${second ?? ''} in this cluster: #/node/N or #/node/all.`) : { kind: 'node', nodeId };
    case 'procs':
      if (second === 'all') return { kind: 'clusterProcs' };
      return nodeId === undefined ? bad(name, 'This window needs a node number, e.g. #/procs/1 (or #/procs/all for every node).') : { kind: name, nodeId };
    case 'remote':
      return nodeId === undefined ? bad(name, `This window needs a node number, e.g. #/${name}/1.`) : { kind: name, nodeId };
    case 'migrator': {
      if (nodeId === undefined) return bad('migrator', 'This window needs a node number, e.g. #/migrator/1/PID.');
      const job = parseJobKey(third ?? '');
      if (job) return { kind: 'migrator', nodeId, process: { job } };
      return /^\d+$/.test(third ?? '') ? { kind: 'migrator', nodeId, process: { pid: Number(third) } } : bad('migrator', 'The migrator needs a process: #/migrator/NODE/PID.');
    }
    case 'exec': {
      const n = nodeIdOf(new URLSearchParams(query).get('node') ?? undefined);
      return n === undefined ? { kind: 'exec' } : { kind: 'exec', nodeId: n };
    }
    case 'history':
      return historyRoute(second, third, rest);
    case 'alerts':
      return { kind: 'alerts' };
    case 'monitor':
      return { kind: 'monitor' };
    default:
      return { kind: 'main' };
  }
}

function historyRoute(which: string | undefined, metricPart: string | undefined, [idPart, backupPart, fromPart, toPart]: string[]): Route | BadRoute {
  if (which === 'load') return { kind: 'loadHistory' };
  if (which === 'mem') return { kind: 'memHistory' };
  if (which === 'io') return { kind: 'ioHistory' };
  if (which === 'procs') return procHistoryRoute(metricPart, idPart, backupPart);
  if (which !== 'average') return bad('average', `There is no history window "${which ?? ''}".`);
  const metric = METRICS.find((m) => m === metricPart);
  const nodeId = nodeIdOf(idPart);
  if (!metric || nodeId === undefined) return bad('average', 'The average window needs a metric and a node: #/history/average/load/1/current/FROM/TO.');
  const from = Number(fromPart);
  const to = Number(toPart);
  return {
    kind: 'average', metric, nodeId,
    ...(backupPart && backupPart !== 'current' ? { backup: backupPart } : {}),
    ...(fromPart && toPart && Number.isFinite(from) && Number.isFinite(to) ? { range: { from, to } } : {}),
  };
}

/** history/procs[/BACKUP|current/T[/NODE]] */
function procHistoryRoute(backupPart: string | undefined, tPart: string | undefined, nodePart: string | undefined): Route | BadRoute {
  if (backupPart === undefined) return { kind: 'procHistory' };
  const node = nodeIdOf(nodePart);
  if (!tPart || !/^\d+$/.test(tPart) || (nodePart !== undefined && node === undefined)) {
    return bad('procHistory', 'The process history at a moment needs its time and may name a node: #/history/procs/current/TIME_MS or #/history/procs/current/TIME_MS/NODE.');
  }
  return {
    kind: 'procHistory',
    at: { t: Number(tPart), ...(node !== undefined ? { node } : {}), ...(backupPart !== 'current' ? { backup: backupPart } : {}) },
  };
}

/** Which kind of window a route opens; unknown routes show the main window (as the renderer does). */
export function windowKindOf(route: string): WindowKind {
  const r = parseRoute(route);
  return r.kind === 'bad' ? r.window : r.kind;
}

export function windowSizeOf(route: string): WindowSize {
  return WINDOW_SIZES[windowKindOf(route)];
}
