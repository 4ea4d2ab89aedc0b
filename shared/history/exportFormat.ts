/**
 * History exports as files (docs/HISTORY.md, "Export"): the figures of one metric family
 * for chosen nodes, every recorded second as the store holds it, as CSV or JSON. Written
 * piece by piece (head, pages of rows, end), so a day of 64 nodes never has to be one
 * string, and the same bytes come out of the window, the desktop app's save dialog and
 * `mosixcollector --export`.
 *
 * CSV is wide: one row per recorded second, one column per node and metric, the layout a
 * spreadsheet charts and gnuplot plots (`using 2:3`) without reshaping.
 */
import type { HistoryMetric } from '../protocol/agentHistory.js';

/** A family of metrics exported together, as one history window draws them. */
export type ExportFamily = 'load' | 'mem' | 'io';
export type ExportFormat = 'csv' | 'json';

export interface ExportMetric {
  metric: HistoryMetric;
  unit: string;
  /** What the figure is, for the JSON file's readers. */
  meaning: string;
}

/** The families and their columns; a family's metrics are in HistoryMetric and the agent's HISTORY_METRICS. */
export const EXPORT_FAMILIES: Record<ExportFamily, { title: string; metrics: readonly ExportMetric[] }> = {
  load: {
    title: 'Load history',
    metrics: [{ metric: 'load', unit: '%', meaning: 'load bar percent: 100 * exported load / CPUs (100 = every CPU has a runnable task)' }],
  },
  mem: {
    title: 'Memory history',
    metrics: [
      { metric: 'mem', unit: 'kB', meaning: 'available memory as openMosix believes (MemAvailable)' },
      { metric: 'rmem', unit: 'kB', meaning: 'free memory as Linux believes (MemFree)' },
      { metric: 'tmem', unit: 'kB', meaning: 'total memory' },
    ],
  },
  io: {
    title: 'I/O history',
    metrics: [
      { metric: 'diskRead', unit: 'B/s', meaning: 'bytes read per second from the whole disks of /proc/diskstats (kept to 1024 B/s)' },
      { metric: 'diskWrite', unit: 'B/s', meaning: 'bytes written per second to the whole disks of /proc/diskstats (kept to 1024 B/s)' },
      { metric: 'netRx', unit: 'B/s', meaning: 'bytes received per second on every interface but lo (/proc/net/dev; kept to 1024 B/s)' },
      { metric: 'netTx', unit: 'B/s', meaning: 'bytes sent per second on every interface but lo (/proc/net/dev; kept to 1024 B/s)' },
    ],
  },
};
export const EXPORT_FAMILY_NAMES = Object.keys(EXPORT_FAMILIES) as ExportFamily[];

/** Everything known before the first row. */
export interface ExportHead {
  family: ExportFamily;
  /** The range asked for, ms, both ends included. */
  from: number;
  to: number;
  /** Host of the collector's node, and the backup read (null: the current history). */
  collector: string;
  backup: string | null;
  /** The exported nodes, in column order; host as last recorded in the range ('' if never). */
  nodes: { id: number; host: string }[];
}

/** One recorded second: its time (collector clock) and per node, per metric of the family (node-major), the figure or null (node down, or not recorded that second). */
export interface ExportRow {
  t: number;
  v: (number | null)[];
}

/**
 * The collector records once a second: two records further apart than this leave a gap (it
 * was stopped, or a second could not be written). The file marks it with one row of empty
 * figures at the first missing second, so a spreadsheet's or gnuplot's line breaks there
 * instead of joining across.
 */
export const GAP_MS = 1500;
export const RECORD_INTERVAL_MS = 1000;

export const MIME: Record<ExportFormat, string> = { csv: 'text/csv', json: 'application/json' };

export interface ExportColumn {
  node: number;
  host: string;
  metric: HistoryMetric;
  unit: string;
  name: string;
}

export function exportColumns(head: Pick<ExportHead, 'family' | 'nodes'>): ExportColumn[] {
  const { metrics } = EXPORT_FAMILIES[head.family];
  return head.nodes.flatMap((n) =>
    metrics.map((m) => ({ node: n.id, host: n.host, metric: m.metric, unit: m.unit, name: `node ${n.id}${n.host ? ` (${n.host})` : ''} ${m.metric} (${m.unit})` })),
  );
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The shortest text that reads back as the same number: the stored figure, not a rounding of it. */
const figure = (v: number | null): string => (v === null || !Number.isFinite(v) ? '' : String(v));
const iso = (t: number) => new Date(t).toISOString();

/** `history-load-20261129T140000Z-20261129T150000Z.csv`: what was exported, from when to when (UTC). */
export function exportFileName(head: Pick<ExportHead, 'family' | 'from' | 'to'>, format: ExportFormat): string {
  const stamp = (t: number) => iso(t).replace(/\.\d{3}/, '').replace(/[-:]/g, '');
  return `history-${head.family}-${stamp(head.from)}-${stamp(head.to)}.${format}`;
}

/** Writes one export: `head()` once, `rows()` for each page in time order, `end()` once; each returns the text to append. */
export class ExportWriter {
  private readonly width: number;
  private last: number | undefined;
  private count = 0;

  constructor(
    private readonly format: ExportFormat,
    private readonly info: ExportHead,
  ) {
    this.width = exportColumns(info).length;
  }

  head(): string {
    const cols = exportColumns(this.info);
    if (this.format === 'csv') return ['time (UTC)', 'time (epoch ms)', ...cols.map((c) => c.name)].map(csvField).join(',') + '\n';
    const { family, from, to, collector, backup } = this.info;
    const meta = {
      format: 'mosixview-history-export',
      version: 1,
      family,
      title: EXPORT_FAMILIES[family].title,
      collector,
      backup,
      from: iso(from),
      fromMs: from,
      to: iso(to),
      toMs: to,
      resolution: 'every second the collector recorded in the range, as stored: not resampled',
      gaps: `a row with "gap": true and empty (null) values marks a gap: no record for more than ${GAP_MS} ms after the row before it`,
      metrics: EXPORT_FAMILIES[family].metrics,
      nodes: this.info.nodes,
      columns: cols,
    };
    // One member a line, one entry of a list a line (64 nodes' columns stay readable), and the rows last, one a line.
    const member = ([k, v]: [string, unknown]) =>
      Array.isArray(v) && v.length ? ` ${JSON.stringify(k)}: [\n${v.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n ]` : ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    return `{\n${Object.entries(meta).map(member).join(',\n')},\n "rows": [`;
  }

  rows(rows: readonly ExportRow[]): string {
    let out = '';
    for (const r of rows) {
      if (r.v.length !== this.width) throw new Error(`a row of ${r.v.length} figures for ${this.width} columns`);
      if (this.last !== undefined && r.t <= this.last) throw new Error(`rows out of order: ${r.t} after ${this.last}`);
      if (this.last !== undefined && r.t - this.last > GAP_MS) out += this.line(this.last + RECORD_INTERVAL_MS, null);
      out += this.line(r.t, r.v);
      this.last = r.t;
    }
    return out;
  }

  end(): string {
    return this.format === 'csv' ? '' : `${this.count ? '\n ' : ''}]\n}\n`;
  }

  private line(t: number, v: readonly (number | null)[] | null): string {
    const values = v ?? new Array<null>(this.width).fill(null);
    const first = this.count++ === 0;
    if (this.format === 'csv') return `${iso(t)},${t}${values.map((x) => `,${figure(x)}`).join('')}\n`;
    const json = JSON.stringify({ time: iso(t), t, ...(v ? {} : { gap: true }), values: values.map((x) => (x === null || !Number.isFinite(x) ? null : x)) });
    return `${first ? '\n' : ',\n'}  ${json}`;
  }
}

/** A whole export as one text (tests, small ranges). */
export function formatExport(format: ExportFormat, head: ExportHead, rows: readonly ExportRow[]): string {
  const w = new ExportWriter(format, head);
  return w.head() + w.rows(rows) + w.end();
}
