/**
 * Answers the GUI's history questions from the files on this node: the current history
 * or a backup, downsampled here so only a chart's worth of numbers crosses the network.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { RpcError } from '../../shared/protocol/rpc.js';
import type {
  ClusterMoment, CollectorStatus, HistoryMetric, HistorySeries, HistorySeriesRequest, NodeSeries, ProcHistory,
} from '../../shared/protocol/agentHistory.js';
import type { HistoryNodeSample } from '../../shared/history/types.js';
import type { NodeSample } from '../../shared/domain/node.js';
import { MinMaxBuckets } from '../../shared/history/downsample.js';
import { loadPercent } from '../../shared/loadFigures.js';
import { HistoryReader } from '../collector/store/historyReader.js';
import { backupTime, listBackups } from '../collector/store/rotation.js';
import { runningCollector } from '../collector/pidFile.js';
import type { CollectorPaths } from '../collector/config.js';

const DAY = 86_400_000;
const METRICS: Record<HistoryMetric, (n: HistoryNodeSample) => number> = {
  load: (n) => loadPercent(n),
  mem: (n) => n.memKb,
  rmem: (n) => n.rmemKb,
  tmem: (n) => n.tmemKb,
};

function historyDir(p: CollectorPaths, backup: unknown): { dir: string; name: string | null } {
  if (backup === undefined || backup === null || backup === '') return { dir: p.current, name: null };
  // Only names of backups: nothing can reach outside the collector's directory.
  if (typeof backup !== 'string' || backupTime(backup) === undefined) {
    throw new RpcError('EINVAL', `"${String(backup)}" is not the name of a history backup (like mosixview-20240301-120000)`);
  }
  return { dir: join(p.dir, backup), name: backup };
}

function withReader<T>(p: CollectorPaths, backup: unknown, fn: (r: HistoryReader, name: string | null) => T): T {
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

const num = (v: unknown, what: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RpcError('EINVAL', `${what} must be a time in ms`);
  return v;
};

export function historySeries(p: CollectorPaths, req: HistorySeriesRequest): HistorySeries {
  const buckets = Math.round(Number(req?.buckets));
  if (!(buckets >= 1 && buckets <= 10_000)) throw new RpcError('EINVAL', 'buckets must be a number from 1 to 10000');
  const metrics = (Array.isArray(req.metrics) ? req.metrics : []).filter((m): m is HistoryMetric => m in METRICS);
  if (!metrics.length) throw new RpcError('EINVAL', `metrics must list some of ${Object.keys(METRICS).join(', ')}`);
  return withReader(p, req.backup, (r, name) => {
    const started = r.header.started;
    const from = num(req.from, 'from') ?? started;
    const to = Math.max(from + 1000, num(req.to, 'to') ?? from + DAY);
    const perNode = new Map<number, Map<HistoryMetric, MinMaxBuckets>>();
    let last = started;
    r.samples(from, to, (rec) => {
      last = rec.t;
      for (const n of rec.nodes) {
        if (!n.up) continue;
        let m = perNode.get(n.id);
        if (!m) perNode.set(n.id, (m = new Map(metrics.map((k) => [k, new MinMaxBuckets(from, to, buckets)]))));
        for (const k of metrics) m.get(k)!.add(rec.t, METRICS[k](n));
      }
    });
    const names = new Map((r.namesAt(to)?.nodes ?? []).map((n) => [n.id, n.host]));
    const nodes: NodeSeries[] = [...perNode.entries()]
      .sort(([a], [b]) => a - b)
      .map(([id, m]) => ({
        id,
        host: names.get(id) ?? '',
        series: Object.fromEntries([...m.entries()].map(([k, b]) => [k, { ...b.series(), stats: b.stats() }])),
      }));
    return { backup: name, started, last: Math.max(last, r.lastTime()), from, to, buckets, nodes, checkpoints: r.checkpoints(from, to) };
  });
}

export function procHistory(p: CollectorPaths, req: { backup?: string; t?: number }): ProcHistory {
  return withReader(p, req?.backup, (r) => {
    const times = r.procTimes();
    const t = num(req?.t, 't') ?? times[times.length - 1] ?? r.header.started;
    return { started: r.header.started, times, at: r.procsAt(t) ?? null };
  });
}

export function toNodeSample(n: HistoryNodeSample, t: number, host: string): NodeSample {
  return {
    t, hostname: host, cpus: n.cpus, demand: n.load, load: n.load, util: n.util, speed: n.speed, procCount: 0,
    mem: { totalKb: n.tmemKb, freeKb: n.rmemKb, availableKb: n.memKb },
  };
}

export function clusterAt(p: CollectorPaths, req: { backup?: string; t: number }): ClusterMoment | null {
  const t = num(req?.t, 't');
  if (t === undefined) throw new RpcError('EINVAL', 't (ms) is required');
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

