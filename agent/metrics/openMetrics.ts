/**
 * A node's figures as Prometheus reads them: the OpenMetrics text format (what node_exporter's
 * textfile collector and a scrape of /metrics get), or the older Prometheus text format 0.0.4
 * for a scraper whose Accept header asks for text/plain. Pure: figures in, text out.
 *
 * Base units (seconds, bytes), counters end in _total, every family has HELP and TYPE, every
 * sample carries node="N".
 */
import { JOB_STATES, type JobState } from '../../shared/jobs/job.js';

export type MetricsFormat = 'openmetrics' | 'prometheus';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Upper bounds (seconds) of the freeze-time histogram's buckets; +Inf is added. */
export const FREEZE_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export type MigrationOutcome = 'moved' | 'failed' | 'uncertain';
export type ExchangeVerdict = 'accepted' | 'forged' | 'stale' | 'replayed' | 'ahead';

export interface Histogram {
  /** Cumulative counts, one per FREEZE_BUCKETS_S bound (observations <= bound). */
  buckets: number[];
  count: number;
  sum: number;
}

export interface NodeFigures {
  /** The node ID from the cluster map, or the hostname before the node has one. */
  node: string;
  load: number;
  speed: number;
  cpus: number;
  memTotalBytes: number;
  memAvailableBytes: number;
  jobs: Partial<Record<JobState, number>>;
  migrations: Record<MigrationOutcome, number>;
  freezeSeconds: Histogram;
  exchange: Record<ExchangeVerdict, number>;
}


type Labels = [string, string][];
interface Sample {
  suffix: string;
  labels: Labels;
  value: number;
}
interface Family {
  name: string;
  type: 'gauge' | 'counter' | 'histogram';
  unit?: 'seconds' | 'bytes';
  help: string;
  samples: Sample[];
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function number(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(labels: Labels): string {
  return labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
}

function families(f: NodeFigures): Family[] {
  const node: [string, string] = ['node', f.node];
  const gauge = (name: string, help: string, value: number, unit?: Family['unit']): Family => ({
    name, type: 'gauge', help, samples: [{ suffix: '', labels: [node], value }], ...(unit ? { unit } : {}),
  });
  const h = f.freezeSeconds;
  return [
    gauge('mosixview_node_load', 'openMosix load of the node (rises at once, decays by 7/8 per second)', f.load),
    gauge('mosixview_node_speed', 'openMosix speed of the node (10000 = the reference CPU)', f.speed),
    gauge('mosixview_node_cpus', 'CPUs this node may use (affinity and cgroup quota applied)', f.cpus),
    gauge('mosixview_node_memory_total_bytes', 'Total memory of the node (or of its memory cgroup if smaller)', f.memTotalBytes, 'bytes'),
    gauge('mosixview_node_memory_available_bytes', 'Memory available for work (MemAvailable)', f.memAvailableBytes, 'bytes'),
    {
      name: 'mosixview_jobs', type: 'gauge', help: 'mosrun jobs this node keeps a record of, by state',
      samples: JOB_STATES.map((s) => ({ suffix: '', labels: [node, ['state', s]], value: f.jobs[s] ?? 0 })),
    },
    {
      name: 'mosixview_migrations', type: 'counter', help: 'Migrations this node started as the source, by outcome, since the agent started',
      samples: (['moved', 'failed', 'uncertain'] as const).map((o) => ({ suffix: '_total', labels: [node, ['outcome', o]], value: f.migrations[o] })),
    },
    {
      name: 'mosixview_migration_freeze_seconds', type: 'histogram', unit: 'seconds',
      help: 'Time a migrated job stood frozen, from the checkpoint here to the resume on the target',
      samples: [
        ...FREEZE_BUCKETS_S.map((le, i) => ({ suffix: '_bucket', labels: [node, ['le', number(le)]] as Labels, value: h.buckets[i] ?? 0 })),
        { suffix: '_bucket', labels: [node, ['le', '+Inf']], value: h.count },
        { suffix: '_count', labels: [node], value: h.count },
        { suffix: '_sum', labels: [node], value: h.sum },
      ],
    },
    {
      name: 'mosixview_exchange_datagrams', type: 'counter',
      help: 'Load-exchange datagrams received, by verdict (forged: does not open with the cluster key; stale: held back too long; replayed: sequence not above the last; ahead: too far above)',
      samples: (['accepted', 'forged', 'stale', 'replayed', 'ahead'] as const).map((v) => ({ suffix: '_total', labels: [node, ['verdict', v]], value: f.exchange[v] })),
    },
  ];
}

/**
 * The text for one node. OpenMetrics names a counter's family without _total and ends with
 * `# EOF`; the 0.0.4 format names it with _total, has no UNIT lines and no end marker.
 */
export function formatMetrics(f: NodeFigures, format: MetricsFormat = 'openmetrics'): string {
  const out: string[] = [];
  for (const fam of families(f)) {
    const declared = format === 'prometheus' && fam.type === 'counter' ? `${fam.name}_total` : fam.name;
    out.push(`# HELP ${declared} ${escapeHelp(fam.help)}`, `# TYPE ${declared} ${fam.type}`);
    if (fam.unit && format === 'openmetrics') out.push(`# UNIT ${declared} ${fam.unit}`);
    for (const s of fam.samples) out.push(`${fam.name}${s.suffix}${labelText(s.labels)} ${number(s.value)}`);
  }
  if (format === 'openmetrics') out.push('# EOF');
  return out.join('\n') + '\n';
}

/**
 * Which format a scrape gets: OpenMetrics unless the Accept header asks for text/plain and not
 * for OpenMetrics (Prometheus sends both, OpenMetrics first, and gets OpenMetrics).
 */
export function negotiateFormat(accept: string | undefined): MetricsFormat {
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  if (types.includes('application/openmetrics-text')) return 'openmetrics';
  return types.includes('text/plain') ? 'prometheus' : 'openmetrics';
}

export function contentType(format: MetricsFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
}

/** Adds one observation to cumulative buckets (a new histogram, the old one left alone). */
export function observe(h: Histogram, seconds: number): Histogram {
  return {
    buckets: FREEZE_BUCKETS_S.map((le, i) => (h.buckets[i] ?? 0) + (seconds <= le ? 1 : 0)),
    count: h.count + 1,
    sum: h.sum + seconds,
  };
}

export const EMPTY_HISTOGRAM: Histogram = { buckets: FREEZE_BUCKETS_S.map(() => 0), count: 0, sum: 0 };
