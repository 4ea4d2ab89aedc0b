/**
 * Where the collector keeps things and how often it does what. Settings come from
 * <stateDir>/collector/collector.json, then environment variables (tests shorten the
 * intervals that way), then the openMosix defaults.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CURRENT_DIR, DEFAULT_POLICY, type RotationPolicy } from './store/rotation.js';
import type { StatePaths } from '../stateDir.js';

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

export function collectorPaths(p: StatePaths): CollectorPaths {
  const dir = join(p.dir, 'collector');
  return {
    dir,
    current: join(dir, CURRENT_DIR),
    pidFile: join(dir, 'mosixcollector.pid'),
    socket: join(dir, 'collector.sock'),
    log: join(dir, 'collector.log'),
    config: join(dir, 'collector.json'),
    selfFile: join(dir, 'self.json'),
  };
}

export interface CollectorSettings extends RotationPolicy {
  /** Seconds between two process lists (openMosix: a minute). */
  procsEveryS: number;
}

export const DEFAULT_SETTINGS: CollectorSettings = { ...DEFAULT_POLICY, procsEveryS: 60 };

function positive(v: unknown, allowZero = false): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && (n > 0 || (allowZero && n === 0)) ? n : undefined;
}

export function loadSettings(paths: CollectorPaths, env: NodeJS.ProcessEnv = process.env): CollectorSettings {
  let file: Partial<Record<keyof CollectorSettings, unknown>> = {};
  try {
    file = JSON.parse(readFileSync(paths.config, 'utf8')) as typeof file;
  } catch {
    /* no file, or unreadable: the defaults apply */
  }
  return {
    rotateEveryS: positive(env.MOSIXVIEW_COLLECTOR_ROTATE_S) ?? positive(file.rotateEveryS) ?? DEFAULT_SETTINGS.rotateEveryS,
    retentionDays: positive(env.MOSIXVIEW_COLLECTOR_RETENTION_DAYS, true) ?? positive(file.retentionDays, true) ?? DEFAULT_SETTINGS.retentionDays,
    procsEveryS: positive(env.MOSIXVIEW_COLLECTOR_PROCS_S) ?? positive(file.procsEveryS) ?? DEFAULT_SETTINGS.procsEveryS,
  };
}
