/**
 * The alert rules the collector evaluates, their defaults, and the one parser of the admin's
 * changes ("load.percent=50"), used for the `alerts` section of collector.json and for
 * `mosctl alerts set`: both say what was wrong by its name, so a typo never passes for a default.
 */
import type { NodeId } from '../domain/node.js';

export const ALERT_RULES = ['nodeDown', 'load', 'memory', 'migrationFailed', 'exchangeRefused'] as const;
export type AlertRuleName = (typeof ALERT_RULES)[number];

export interface AlertRules {
  nodeDown: { on: boolean; forS: number };
  load: { on: boolean; percent: number; forS: number };
  memory: { on: boolean; belowMb: number; forS: number };
  migrationFailed: { on: boolean };
  exchangeRefused: { on: boolean };
  /** A held condition clears only once it has been false this long (a flapping node raises once). */
  clearForS: number;
  /** A one-off alert (a failed migration, refused datagrams) stays active this long after its last event. */
  keepS: number;
  /** Run with each raised and cleared alert as JSON on stdin (argv: no shell); none when empty. */
  hook: { argv: string[]; timeoutS: number };
}

export const DEFAULT_RULES: AlertRules = {
  nodeDown: { on: true, forS: 30 },
  load: { on: true, percent: 90, forS: 60 },
  memory: { on: true, belowMb: 256, forS: 10 },
  migrationFailed: { on: true },
  exchangeRefused: { on: true },
  clearForS: 10,
  keepS: 300,
  hook: { argv: [], timeoutS: 10 },
};

/** One alert, raised by the collector's evaluation of a rule for one node. */
export interface Alert {
  rule: AlertRuleName;
  node: NodeId;
  host?: string;
  /** When the condition began (the collector's clock, ms): "since when". */
  since: number;
  raisedAt: number;
  /** Set once cleared: the alert is then in the recent list. */
  clearedAt?: number;
  /** What was seen, in the admin's words ("load 180% (above 90%) for more than 60 s"). */
  text: string;
}

/** What `mosctl alerts` and the GUI read of the collector. */
export interface AlertList {
  rules: AlertRules;
  active: Alert[];
  /** Cleared alerts, newest first. */
  recent: Alert[];
  /** The collector's node clock when it answered (so "since" can be shown as an age without comparing clocks). */
  now: number;
}

type Setting = { key: string; want: string; read(r: AlertRules): unknown; parse(v: unknown): unknown; set(r: AlertRules, v: never): void };

const number = (key: string, min: number, max: number, get: (r: AlertRules) => number, put: (r: AlertRules, v: number) => void): Setting => ({
  key,
  want: `a number from ${min} to ${max}`,
  read: get,
  parse: (v) => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max ? n : undefined;
  },
  set: put as (r: AlertRules, v: never) => void,
});

const onOff = (key: string, rule: AlertRuleName): Setting => ({
  key,
  want: 'true or false (on or off)',
  read: (r) => r[rule].on,
  parse: (v) => (v === true || v === 'true' || v === 'on' ? true : v === false || v === 'false' || v === 'off' ? false : undefined),
  set: ((r: AlertRules, v: boolean) => (r[rule].on = v)) as (r: AlertRules, v: never) => void,
});

const DAY = 86_400;
/** Every setting by its dotted name, as collector.json nests it and `mosctl alerts set` names it. */
export const ALERT_SETTINGS: Setting[] = [
  onOff('nodeDown.on', 'nodeDown'),
  number('nodeDown.forS', 1, DAY, (r) => r.nodeDown.forS, (r, v) => (r.nodeDown.forS = v)),
  onOff('load.on', 'load'),
  number('load.percent', 1, 10_000, (r) => r.load.percent, (r, v) => (r.load.percent = v)),
  number('load.forS', 1, DAY, (r) => r.load.forS, (r, v) => (r.load.forS = v)),
  onOff('memory.on', 'memory'),
  number('memory.belowMb', 1, 1 << 24, (r) => r.memory.belowMb, (r, v) => (r.memory.belowMb = v)),
  number('memory.forS', 1, DAY, (r) => r.memory.forS, (r, v) => (r.memory.forS = v)),
  onOff('migrationFailed.on', 'migrationFailed'),
  onOff('exchangeRefused.on', 'exchangeRefused'),
  number('clearForS', 1, DAY, (r) => r.clearForS, (r, v) => (r.clearForS = v)),
  number('keepS', 1, 7 * DAY, (r) => r.keepS, (r, v) => (r.keepS = v)),
  number('hook.timeoutS', 1, 600, (r) => r.hook.timeoutS, (r, v) => (r.hook.timeoutS = v)),
];

const HOOK_ARGV = 'hook.argv';
const known = () => [...ALERT_SETTINGS.map((s) => s.key), HOOK_ARGV].join(', ');
const cloneRules = (r: AlertRules): AlertRules => JSON.parse(JSON.stringify(r)) as AlertRules;

function hookArgv(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length <= 64 && v.every((a) => typeof a === 'string' && a.length > 0 && a.length <= 4096) && (v.length === 0 || (v[0] as string).startsWith('/'))
    ? (v as string[])
    : undefined;
}

/** Applies `key=value` changes; all or none: the first wrong one is the error, naming the key, the value and what it must be. */
export function applyAlertChanges(rules: AlertRules, changes: readonly string[]): { ok: true; rules: AlertRules } | { ok: false; error: string } {
  const next = cloneRules(rules);
  if (!changes.length) return { ok: false, error: `name at least one setting as KEY=VALUE (known: ${known()})` };
  for (const c of changes) {
    const eq = c.indexOf('=');
    if (eq <= 0) return { ok: false, error: `"${c}" is not KEY=VALUE (e.g. load.percent=80; known: ${known()})` };
    const key = c.slice(0, eq).trim();
    const value = c.slice(eq + 1).trim();
    if (key === HOOK_ARGV) return { ok: false, error: `${HOOK_ARGV} is set in collector.json only ("alerts": {"hook": {"argv": ["/path/to/program", "arg"]}}), never on a command line` };
    const s = ALERT_SETTINGS.find((x) => x.key === key);
    if (!s) return { ok: false, error: `unknown alert setting "${key}" (known: ${known()})` };
    const v = s.parse(value);
    if (v === undefined) return { ok: false, error: `${key} must be ${s.want}, not "${value}"` };
    s.set(next, v as never);
  }
  return { ok: true, rules: next };
}

/** The `alerts` section of collector.json: every refused value is one problem naming it; what is refused keeps its default. */
export function parseAlertSection(section: unknown, where: string): { rules: AlertRules; problems: string[] } {
  const rules = cloneRules(DEFAULT_RULES);
  const problems: string[] = [];
  if (section === undefined) return { rules, problems };
  if (!section || typeof section !== 'object' || Array.isArray(section)) return { rules, problems: [`${where}: "alerts" must be an object, not ${JSON.stringify(section)}`] };
  const flat = new Map<string, unknown>();
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, key);
      else flat.set(key, v);
    }
  };
  walk(section as Record<string, unknown>, '');
  for (const [key, v] of flat) {
    if (key === HOOK_ARGV) {
      const argv = hookArgv(v);
      if (argv) rules.hook.argv = argv;
      else problems.push(`${where}: alerts.${HOOK_ARGV} must be a list of texts starting with the program's absolute path, not ${JSON.stringify(v)}`);
      continue;
    }
    const s = ALERT_SETTINGS.find((x) => x.key === key);
    if (!s) {
      problems.push(`${where}: unknown alert setting "alerts.${key}" (known: ${known()})`);
      continue;
    }
    const parsed = s.parse(v);
    if (parsed === undefined) problems.push(`${where}: alerts.${key} must be ${s.want}, not ${JSON.stringify(v)}`);
    else s.set(rules, parsed as never);
  }
  return { rules, problems };
}

/** The `alerts` section as collector.json keeps it (nested by the dotted names). */
export function alertSection(rules: AlertRules): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of ALERT_SETTINGS) {
    const [a, b] = s.key.split('.') as [string, string | undefined];
    if (b === undefined) {
      out[a] = s.read(rules);
      continue;
    }
    const group = (out[a] ??= {}) as Record<string, unknown>;
    group[b] = s.read(rules);
  }
  (out.hook as Record<string, unknown>).argv = rules.hook.argv;
  return out;
}

/** One line per rule, as `mosctl alerts` and the window say it. */
export function describeRules(r: AlertRules): string[] {
  const off = (on: boolean, s: string) => (on ? s : `${s} (off)`);
  return [
    off(r.nodeDown.on, `node down for more than ${r.nodeDown.forS} s`),
    off(r.load.on, `load above ${r.load.percent}% for more than ${r.load.forS} s`),
    off(r.memory.on, `available memory below ${r.memory.belowMb} MB for more than ${r.memory.forS} s`),
    off(r.migrationFailed.on, 'a migration failed'),
    off(r.exchangeRefused.on, 'forged or replayed exchange datagrams seen'),
  ];
}

export const RULE_TITLES: Record<AlertRuleName, string> = {
  nodeDown: 'node down',
  load: 'load',
  memory: 'low memory',
  migrationFailed: 'migration failed',
  exchangeRefused: 'refused datagrams',
};
