/**
 * Where the agent publishes its figures: <stateDir>/metrics.json, overridden by environment
 * variables, beside the jobs feature's jobs.json.
 *
 *   textfileDir  node_exporter's textfile collector directory (env MOSIXVIEW_METRICS_TEXTFILE_DIR);
 *                default /var/lib/prometheus/node-exporter when it exists; null or "" turns it off
 *   listen       address of the /metrics HTTP endpoint: "PORT", "HOST:PORT" or "[V6]:PORT"
 *                (env MOSIXVIEW_METRICS_LISTEN); default off; HOST defaults to 127.0.0.1
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';
export const TEXTFILE_NAME = 'mosixview.prom';
export const METRICS_FILE = 'metrics.json';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface MetricsSettings {
  textfileDir: string | null;
  listen: ListenAddress | null;
}

/** "9464", "0.0.0.0:9464", "[::1]:9464"; undefined when it is none of those. */
export function parseListen(s: string): ListenAddress | undefined {
  const m = /^(?:(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):)?(\d{1,5})$/.exec(s.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

const LISTEN_WANTED = 'an address to serve /metrics on: "PORT", "HOST:PORT" or "[IPv6]:PORT" (port 1-65535), or null for off';
const DIR_WANTED = 'an absolute directory name (node_exporter --collector.textfile.directory), or null for off';

function textfileDir(v: unknown): string | null | undefined {
  if (v === null || v === '' || v === 'off') return null;
  return typeof v === 'string' && v.startsWith('/') ? v : undefined;
}

function listen(v: unknown): ListenAddress | null | undefined {
  if (v === null || v === '' || v === 'off') return null;
  if (typeof v === 'number') return parseListen(String(v));
  return typeof v === 'string' ? parseListen(v) : undefined;
}

/**
 * The settings, and in words each value that was refused and what to write instead (the
 * default applies to it: a typo must not silently turn the endpoint on or off).
 */
export function loadMetricsSettings(
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
  dirExists: (d: string) => boolean = existsSync,
): { settings: MetricsSettings; problems: string[] } {
  const path = join(stateDir, METRICS_FILE);
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  try {
    const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) file = raw as Record<string, unknown>;
    else problems.push(`${path} is not a JSON object: ignored; write e.g. {"listen": "127.0.0.1:9464"}`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'ENOENT') problems.push(`${path} cannot be used (${err.message}): ignored`);
  }
  for (const k of Object.keys(file)) if (k !== 'textfileDir' && k !== 'listen') problems.push(`${path}: unknown setting "${k}" ignored (known: textfileDir, listen)`);

  const pick = <T>(key: 'textfileDir' | 'listen', envName: string, parse: (v: unknown) => T | null | undefined, wanted: string): T | null | undefined => {
    const fromEnv = env[envName];
    if (fromEnv !== undefined) {
      const v = parse(fromEnv);
      if (v !== undefined) return v;
      problems.push(`${envName} must be ${wanted}, not "${fromEnv}": ignored`);
    }
    if (key in file) {
      const v = parse(file[key]);
      if (v !== undefined) return v;
      problems.push(`${path}: ${key} must be ${wanted}, not ${JSON.stringify(file[key])}: ignored`);
    }
    return undefined;
  };
  const dir = pick('textfileDir', 'MOSIXVIEW_METRICS_TEXTFILE_DIR', textfileDir, DIR_WANTED);
  const addr = pick('listen', 'MOSIXVIEW_METRICS_LISTEN', listen, LISTEN_WANTED);
  return {
    settings: {
      textfileDir: dir !== undefined ? dir : dirExists(DEFAULT_TEXTFILE_DIR) ? DEFAULT_TEXTFILE_DIR : null,
      listen: addr ?? null,
    },
    problems,
  };
}
