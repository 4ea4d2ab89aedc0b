/**
 * `mosixcollector --export FROM TO [--format csv|json] [--nodes 1,2,...] [--history load|mem|io]
 * [--backup NAME]`: the words an admin types, checked before any file is read. Times are
 * the forms of date(1) and the history windows: ISO 8601, "2026-11-29 14:00" (this node's
 * local time unless it says Z or +01:00), "14:00" (today), "today", "yesterday", "now",
 * "-1h" / "-30m" / "-1h30m" / "-2d" (before now), "@1796000000" (seconds since 1970).
 */
import { CliError } from '../cli/daemonClient.js';
import { EXPORT_FAMILY_NAMES, type ExportFamily, type ExportFormat } from '../../shared/history/exportFormat.js';

export interface ExportArgs {
  from: number;
  to: number;
  format: ExportFormat;
  family: ExportFamily;
  nodes?: number[];
  backup?: string;
}

export const EXPORT_USAGE = 'mosixcollector --export FROM TO [--format csv|json] [--nodes 1,2,...] [--history load|mem|io] [--backup NAME]';

export const TIME_FORMS =
  'a time like 2026-11-29T14:00:00Z, "2026-11-29 14:00" (local time), 14:00 (today), today, yesterday, now, -1h, -30m, -1h30m, -2d (before now) or @SECONDS since 1970';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

function localMidnight(now: number, daysBack: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - daysBack).getTime();
}

/** A calendar time that exists (no 30 February, no 25:00), as local time or with its offset. */
function calendar(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string | undefined): number | undefined {
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  const same = probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && probe.getUTCHours() === h && probe.getUTCMinutes() === mi && probe.getUTCSeconds() === s;
  if (!same) return undefined;
  if (zone === undefined) return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
  if (zone === 'Z' || zone === 'z') return probe.getTime();
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offset = (Number(m[2]) * 60 + Number(m[3])) * 60_000 * (m[1] === '-' ? -1 : 1);
  return probe.getTime() - offset;
}

/** One FROM or TO; `what` names it in the error. */
export function parseTime(text: string, now: number, what: string): number {
  const s = text.trim();
  const bad = (why = '') => new CliError(`${what} "${text}" is not a time${why}: give ${TIME_FORMS}`);
  if (s === 'now') return now;
  if (s === 'today') return localMidnight(now, 0);
  if (s === 'yesterday') return localMidnight(now, 1);
  const epoch = /^@(\d{1,12})(\.\d{1,3})?$/.exec(s);
  if (epoch) return Math.round(Number(epoch[1] + (epoch[2] ?? '')) * 1000);
  if (/^-(\d+[smhdw])+$/.test(s)) {
    let ms = 0;
    for (const [, n, u] of s.slice(1).matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[u!]!;
    return now - ms;
  }
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (clock) {
    const d = new Date(now);
    const t = calendar(d.getFullYear(), d.getMonth() + 1, d.getDate(), Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0), 0, undefined);
    if (t === undefined) throw bad(' (no such time of day)');
    return t;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, zone] = iso;
    const t = calendar(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), Number((frac ?? '').padEnd(3, '0')), zone);
    if (t === undefined) throw bad(' (no such date or time of day)');
    return t;
  }
  if (/^\d+[smhdw]/.test(s)) throw bad(` (a time before now starts with "-": -${s})`);
  throw bad();
}

function parseNodes(text: string | undefined): number[] {
  const want = `give the node numbers separated by commas, like --nodes 1,2,5`;
  if (text === undefined || text === '') throw new CliError(`--nodes needs a list of nodes: ${want}`);
  const ids = text.split(',').map((x) => x.trim());
  const wrong = ids.find((x) => !/^\d{1,5}$/.test(x) || Number(x) > 65535);
  if (wrong !== undefined) throw new CliError(`--nodes "${text}": "${wrong}" is not a node number (0 to 65535): ${want}`);
  return [...new Set(ids.map(Number))];
}

export function parseExportArgs(args: string[], now: number): ExportArgs {
  const times: string[] = [];
  let format: ExportFormat = 'csv';
  let family: ExportFamily = 'load';
  let nodes: number[] | undefined;
  let backup: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    switch (name) {
      case '--format': {
        const f = value();
        if (f !== 'csv' && f !== 'json') throw new CliError(`--format ${f === undefined ? 'needs a value' : `"${f}" is not a format`}: give --format csv or --format json`);
        format = f;
        break;
      }
      case '--history': {
        const h = value();
        if (!EXPORT_FAMILY_NAMES.includes(h as ExportFamily)) {
          throw new CliError(`--history ${h === undefined ? 'needs a value' : `"${h}" is not a history`}: give --history ${EXPORT_FAMILY_NAMES.join(' or --history ')}`);
        }
        family = h as ExportFamily;
        break;
      }
      case '--nodes':
        nodes = parseNodes(value());
        break;
      case '--backup': {
        const b = value();
        if (!b) throw new CliError('--backup needs the name of a backup, like mosixview-20261129-140000 (see "ls <state>/collector")');
        backup = b;
        break;
      }
      default:
        // "-1h" is a time, not an option.
        if (a.startsWith('--') || (a.startsWith('-') && !/^-(\d+[smhdw])+$/.test(a))) throw new CliError(`unknown option "${a}" for --export\nusage: ${EXPORT_USAGE}`);
        times.push(a);
    }
  }
  if (times.length !== 2) {
    throw new CliError(`--export needs a start and an end time (FROM TO), got ${times.length === 0 ? 'none' : times.map((t) => `"${t}"`).join(' ')}: e.g. mosixcollector --export -1h now\nusage: ${EXPORT_USAGE}`);
  }
  const from = parseTime(times[0]!, now, 'FROM');
  const to = parseTime(times[1]!, now, 'TO');
  if (from > to) {
    throw new CliError(`FROM (${new Date(from).toISOString()}) is after TO (${new Date(to).toISOString()}): give the earlier time first`);
  }
  return { from, to, format, family, ...(nodes ? { nodes } : {}), ...(backup ? { backup } : {}) };
}
