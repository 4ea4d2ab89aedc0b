/**
 * Answers the GUI's history questions from the files on this node: the current history
 * or a backup, downsampled here so only a chart's worth of numbers crosses the network.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { RpcError } from '../../shared/protocol/rpc.js';
import type {
  ClusterMoment, CollectorStatus, HistoryMetric, HistorySeries, HistorySeriesRequest, NodeSeries, ProcHistory, ProcHistoryRequest,
} from '../../shared/protocol/agentHistory.js';
import type { HistoryNodeSample, MinMaxSeries, SampleRecord } from '../../shared/history/types.js';
import type { NodeSample } from '../../shared/domain/node.js';
import { MinMaxBuckets, minuteEdges } from '../../shared/history/downsample.js';
import { HISTORY_METRICS, METRIC_ORDER } from './metrics.js';
import { columnOf, columnStart } from '../../shared/history/seriesMerge.js';
import { MINUTE, gridFor, minuteOf, plotWidthFor, recordedRange } from '../../shared/history/grid.js';
import { routes, windowSizeOf } from '../../shared/windows.js';
import { HistoryReader } from '../collector/store/historyReader.js';
import { FlatSummary } from '../collector/store/summary.js';
import { backupTime, listBackups } from '../collector/store/rotation.js';
import { runningCollector } from '../collector/pidFile.js';
import type { CollectorPaths } from '../collector/config.js';
import type { SeriesCache, WholeRead } from './seriesCache.js';

const DAY = 86_400_000;
const METRICS = HISTORY_METRICS;

function historyDir(p: CollectorPaths, backup: unknown): { dir: string; name: string | null } {
  if (backup === undefined || backup === null || backup === '') return { dir: p.current, name: null };
  // Only names of backups: nothing can reach outside the collector's directory.
  if (typeof backup !== 'string' || backupTime(backup) === undefined) {
    throw new RpcError('EINVAL', `"${String(backup)}" is not the name of a history backup (like mosixview-20240301-120000)`);
  }
  return { dir: join(p.dir, backup), name: backup };
}

export function withReader<T>(p: CollectorPaths, backup: unknown, fn: (r: HistoryReader, name: string | null) => T): T {
  const { dir, name } = historyDir(p, backup);
  let r: HistoryReader;
  try {
    r = HistoryReader.open(dir);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new RpcError(code === 'ENOHISTORY' ? 'ENOHISTORY' : 'EIO', name
      ? `cannot open the history backup ${name}: ${(e as Error).message}`
      : `there is no history on ${hostname()} yet: start the collector there ("mosixcollector -d", or Start collector in the main window)`);
  }
  try {
    return fn(r, name);
  } finally {
    r.close();
  }
}

export function collectorStatus(p: CollectorPaths): CollectorStatus {
  const pid = runningCollector(p.pidFile);
  const status: CollectorStatus = {
    host: hostname(),
    running: pid !== undefined,
    dir: p.dir,
    backups: existsSync(p.dir) ? listBackups(readdirSync(p.dir)) : [],
  };
  if (pid !== undefined) status.pid = pid;
  if (existsSync(join(p.current))) {
    try {
      withReader(p, undefined, (r) => {
        status.started = r.header.started;
        status.last = r.lastTime();
      });
    } catch {
      /* no readable history yet */
    }
  }
  return status;
}

/**
 * `req` arrives checked (shared/protocol/agentHistory.validate.ts); what is left here needs the history: since within from..to.
 * With `cache` (the daemon's), whole reads continue the last whole read of the same columns (seriesCache.ts).
 */
export function historySeries(p: CollectorPaths, req: HistorySeriesRequest, cache?: SeriesCache): HistorySeries {
  const { buckets } = req;
  const metrics = [...new Set(req.metrics)];
  const askedSince = req.since;
  return withReader(p, req.backup, (r, name) => {
    if (req.recorded) {
      // A backup no longer grows: its columns need no room for more.
      const g = gridFor(recordedRange(r.header.started, r.lastTime()), buckets, name === null);
      return onTheWire(whole(r, name, { ...g, metrics }));
    }
    const from = req.from ?? r.header.started;
    const to = Math.max(from + 1000, req.to ?? from + DAY);
    if (askedSince !== undefined && !(askedSince >= from && askedSince <= to)) {
      throw new RpcError('EINVAL', `since must lie within from..to (${from}..${to}): pass the last answer's "next", or leave it out for a full read`);
    }
    if (askedSince !== undefined) return onTheWire(seriesOf(r, name, { from, to, buckets, metrics, since: askedSince }));
    return onTheWire(whole(r, name, { from, to, buckets, metrics }));
  });
  function whole(r: HistoryReader, name: string | null, q: WholeRead): HistorySeries {
    return cache ? cache.read(r, name, q) : seriesOf(r, name, q);
  }
}

/** What Load history asks first at the size it opens with (shared/windows.ts). */
const LOAD_WINDOW_FIRST_READ = { recorded: true, buckets: plotWidthFor(windowSizeOf(routes.loadHistory()).width), metrics: ['load'] } as const;

/**
 * Reads the current history's recorded range as Load history will ask it, and keeps it in
 * `cache`: in a daemon that just started, the first read of a day ran in code not yet
 * optimised, at three times a later read's time, and that was the first window's wait
 * (docs/BENCHMARKS.md, "History store"). Read twice, so the refresh's path (only what is new,
 * added to the kept read) is warm too; the window's first request then costs what a refresh
 * costs. False when there is nothing to read (no collector here, a damaged history): the
 * window says why when it asks.
 */
export function warmSeriesReads(p: CollectorPaths, cache: SeriesCache): boolean {
  if (!existsSync(p.current)) return false;
  try {
    const req = { ...LOAD_WINDOW_FIRST_READ, metrics: [...LOAD_WINDOW_FIRST_READ.metrics] };
    historySeries(p, req, cache);
    historySeries(p, req, cache);
    return true;
  } catch {
    return false;
  }
}

/** The columns from..to of a series (all three arrays), each value passed through `f`. */
function sliceSeries(m: MinMaxSeries, from: number, to?: number, f = (v: number | null) => v): MinMaxSeries {
  return { min: m.min.slice(from, to).map(f), max: m.max.slice(from, to).map(f), mean: m.mean.slice(from, to).map(f) };
}

/** A hundredth of a load percent or of a kB is far below what a chart can show: fewer digits to send. */
const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/**
 * What crosses the network: no columns after the last one holding data (or `next`), which
 * lie after the last record, no edges when the columns are all alike, values to a hundredth.
 */
function onTheWire(s: HistorySeries): HistorySeries {
  let end = Math.max(0, columnOf(s, s.next) - s.first);
  for (const n of s.nodes) {
    for (const m of Object.values(n.series)) {
      for (let i = m.max.length - 1; i > end; i--) if (m.max[i] !== null) end = i;
    }
  }
  const nodes = s.nodes.map((n) => ({
    ...n,
    series: Object.fromEntries(Object.entries(n.series).map(([k, m]) => [k, { ...m, ...sliceSeries(m, 0, end + 1, round) }])),
  }));
  const w = (s.to - s.from) / s.buckets;
  const uniform = s.edges?.every((e, i) => e === (i === s.buckets ? s.to : s.from + i * w));
  const { edges, ...rest } = s;
  return { ...rest, ...(edges && !uniform ? { edges } : {}), nodes };
}

/**
 * Columns of a minute or wider are built from the per-minute summaries, on column edges
 * moved to whole minutes (minuteEdges): exact min/max per column at a 60th of the reading.
 * The seconds are read only where no summary covers a whole minute of the range: its
 * ragged ends, the open minute, anything not summarised. Finer columns read the seconds
 * of the range alone, from the keyframe the index points at.
 * With `since` (a refresh), only the columns from the one holding it on are read and answered.
 */
export function seriesOf(r: HistoryReader, name: string | null, q: { from: number; to: number; buckets: number; metrics: HistoryMetric[]; since?: number }): HistorySeries {
  const { from, to, buckets, metrics } = q;
  const coarse = (to - from) / buckets >= MINUTE;
  const edges = coarse ? minuteEdges(from, to, buckets) : undefined;
  const grid = { from, to, buckets, ...(edges ? { edges } : {}) };
  const first = q.since === undefined ? 0 : columnOf(grid, q.since);
  const readFrom = columnStart(grid, first);
  // Read before the seconds: what is written meanwhile lands after `next`, and the next refresh reads it.
  const last = Math.max(r.header.started, r.lastTime());
  const next = columnStart(grid, columnOf(grid, Math.min(to, Math.max(from, last))));
  const perNode = new Map<number, Map<HistoryMetric, MinMaxBuckets>>();
  const columns = (id: number) => {
    let m = perNode.get(id);
    if (!m) perNode.set(id, (m = new Map(metrics.map((k) => [k, new MinMaxBuckets(from, to, buckets, edges, next)]))));
    return m;
  };
  const second = (rec: SampleRecord) => {
    for (const n of rec.nodes) {
      if (!n.up) continue;
      const m = columns(n.id);
      for (const k of metrics) m.get(k)!.add(rec.t, METRICS[k](n));
    }
  };
  // Per METRIC_ORDER index, the asked metric's name (undefined: not asked).
  const asked = METRIC_ORDER.map((k) => (metrics.includes(k) ? k : undefined));
  const minute = (s: FlatSummary) => {
    const column = columnOf(grid, s.t); // a minute lies within one column (minuteEdges)
    const { spans, ups, ids } = s;
    for (let k = 0; k < s.nodes; k++) {
      const up = ups[k]!;
      if (!up) continue;
      const m = columns(ids[k]!);
      for (let i = 0; i < asked.length; i++) {
        const key = asked[i];
        if (key === undefined) continue;
        const o = (k * FlatSummary.METRICS + i) * 4;
        m.get(key)!.addSpanIn(column, s.t, spans[o]!, spans[o + 1]!, spans[o + 2]!, up, spans[o + 3]!);
      }
    }
  };
  // Whole minutes inside [readFrom, to] (to is inclusive, like the raw read).
  const firstMinute = minuteOf(readFrom + MINUTE - 1);
  const end = minuteOf(to + 1);
  if (!coarse || firstMinute >= end) r.samples(readFrom, to, second);
  else {
    let cursor = readFrom;
    r.flatSummaries(firstMinute, end - MINUTE, (s) => {
      if (s.t > cursor) r.samples(cursor, s.t - 1, second);
      minute(s);
      cursor = s.t + MINUTE;
    });
    r.samples(cursor, to, second);
  }
  const names = new Map((r.namesAt(to)?.nodes ?? []).map((n) => [n.id, n.host]));
  const nodes: NodeSeries[] = [...perNode.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, m]) => ({
      id,
      host: names.get(id) ?? '',
      series: Object.fromEntries([...m.entries()].map(([k, b]) => [k, {
        ...sliceSeries(b.series(), first), stats: b.stats(), settled: b.settledStats(),
      }])),
    }));
  const started = r.header.started;
  return { backup: name, started, last, ...grid, first, next, nodes, checkpoints: r.checkpoints(readFrom, to), alerts: r.alerts(readFrom, to) };
}

/** The process lists at `t` (the last record at or before it), of one node or of all (`req.node` absent). */
export function procHistory(p: CollectorPaths, req: ProcHistoryRequest): ProcHistory {
  return withReader(p, req.backup, (r) => {
    const times = r.procTimes();
    const t = req.t ?? times[times.length - 1] ?? r.header.started;
    const snap = r.procsAt(t);
    if (!snap) return { started: r.header.started, times, at: null, nodes: [] };
    const nodes = snap.nodes.map((n) => ({ id: n.id, host: n.host, procs: n.procs ? n.procs.length : null, ...(n.missing !== undefined ? { missing: n.missing } : {}) }));
    const at = req.node === undefined ? snap : { t: snap.t, nodes: snap.nodes.filter((n) => n.id === req.node) };
    return { started: r.header.started, times, at, nodes };
  });
}

export function toNodeSample(n: HistoryNodeSample, t: number, host: string): NodeSample {
  return {
    t, hostname: host, cpus: n.cpus, demand: n.load, load: n.load, util: n.util, speed: n.speed, procCount: 0,
    mem: { totalKb: n.tmemKb, freeKb: n.rmemKb, availableKb: n.memKb },
    io: { diskReadBps: n.diskReadBps, diskWriteBps: n.diskWriteBps, netRxBps: n.netRxBps, netTxBps: n.netTxBps },
  };
}

export function clusterAt(p: CollectorPaths, req: { backup?: string; t: number }): ClusterMoment | null {
  const { t } = req;
  return withReader(p, req.backup, (r) => {
    const rec = r.at(t);
    if (!rec) return null;
    const names = new Map((r.namesAt(rec.t)?.nodes ?? []).map((n) => [n.id, n.host]));
    return {
      t: rec.t,
      nodes: rec.nodes.map((n) => {
        const host = names.get(n.id) ?? '';
        return n.up ? { id: n.id, host, status: 'up' as const, sample: toNodeSample(n, rec.t, host) } : { id: n.id, host, status: 'down' as const };
      }),
    };
  });
}

