/**
 * Where the collector keeps things and how often it does what. Settings come from
 * <stateDir>/collector/collector.json (or, when there is none, the packaged agent's
 * /etc/mosixview/collector.json), then environment variables (tests shorten the
 * intervals that way), then the openMosix defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CURRENT_DIR, DEFAULT_POLICY, type RotationPolicy } from './store/rotation.js';
import type { StatePaths } from '../stateDir.js';
import { DEFAULT_RULES, parseAlertSection, type AlertRules } from '../../shared/alerts/alertRules.js';

export interface CollectorPaths {
  /** <stateDir>/collector: the current history, backups, pid file, control socket, log. */
  dir: string;
  current: string;
  pidFile: string;
  socket: string;
  log: string;
  config: string;
  /** The node ID the GUI last gave this node, so records without a GUI use it too. */
  selfFile: string;
}

/** The packaged agent's settings (mosixview-agent.deb installs it as a conffile). */
export const SYSTEM_COLLECTOR_CONFIG = '/etc/mosixview/collector.json';

export function collectorPaths(p: StatePaths, systemConfig = SYSTEM_COLLECTOR_CONFIG): CollectorPaths {
  const dir = join(p.dir, 'collector');
  const own = join(dir, 'collector.json');
  return {
    dir,
    current: join(dir, CURRENT_DIR),
    pidFile: join(dir, 'mosixcollector.pid'),
    socket: join(dir, 'collector.sock'),
    log: join(dir, 'collector.log'),
    config: !existsSync(own) && existsSync(systemConfig) ? systemConfig : own,
    selfFile: join(dir, 'self.json'),
  };
}

export interface CollectorSettings extends RotationPolicy {
  /** Seconds between two process lists (openMosix: a minute). */
  procsEveryS: number;
  /** The alert rules and hook (collector.json "alerts"; shared/alerts/alertRules.ts). */
  alerts: AlertRules;
}

export const DEFAULT_SETTINGS: CollectorSettings = { ...DEFAULT_POLICY, procsEveryS: 60, alerts: DEFAULT_RULES };

type Knob = Exclude<keyof CollectorSettings, 'alerts'>;
/** The section of collector.json that is not a knob. */
const ALERTS_KEY = 'alerts';

function positive(v: unknown, allowZero = false): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && (n > 0 || (allowZero && n === 0)) ? n : undefined;
}

const KNOBS: { key: Knob; env: string; zero: boolean }[] = [
  { key: 'rotateEveryS', env: 'MOSIXVIEW_COLLECTOR_ROTATE_S', zero: false },
  { key: 'retentionDays', env: 'MOSIXVIEW_COLLECTOR_RETENTION_DAYS', zero: true },
  { key: 'procsEveryS', env: 'MOSIXVIEW_COLLECTOR_PROCS_S', zero: false },
];

/**
 * The settings, and in words every value that was refused (so `-d` can say what it ignored:
 * a typo in collector.json must not pass for the default silently).
 */
export function loadSettings(paths: CollectorPaths, env: NodeJS.ProcessEnv = process.env): { settings: CollectorSettings; problems: string[] } {
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(paths.config, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) file = parsed as Record<string, unknown>;
    else problems.push(`${paths.config} is not a JSON object: ignored`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'ENOENT') problems.push(`${paths.config} cannot be used (${err.message}): ignored`);
  }
  for (const k of Object.keys(file)) {
    if (k !== ALERTS_KEY && !KNOBS.some((n) => n.key === k)) problems.push(`${paths.config}: unknown setting "${k}" (known: ${[...KNOBS.map((n) => n.key), ALERTS_KEY].join(', ')})`);
  }
  const alerts = parseAlertSection(file[ALERTS_KEY], paths.config);
  problems.push(...alerts.problems);
  const settings = { ...DEFAULT_SETTINGS, alerts: alerts.rules };
  for (const { key, env: name, zero } of KNOBS) {
    const need = zero ? 'a number >= 0' : 'a number > 0';
    const fromFile = file[key] === undefined ? undefined : positive(file[key], zero);
    if (file[key] !== undefined && fromFile === undefined) problems.push(`${paths.config}: ${key} must be ${need}, not ${JSON.stringify(file[key])}`);
    const fromEnv = env[name] === undefined || env[name] === '' ? undefined : positive(env[name], zero);
    if (env[name] && fromEnv === undefined) problems.push(`${name} must be ${need}, not "${env[name]}"`);
    settings[key] = fromEnv ?? fromFile ?? DEFAULT_SETTINGS[key];
  }
  return { settings, problems };
}
