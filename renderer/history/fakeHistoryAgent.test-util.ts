/**
 * A stand-in for the collector node's agent in renderer tests: answers history.series from
 * a list of recorded seconds with the agent's rules (columns, since, next, settled stats),
 * built on the shared downsampling. Tests add seconds to it while a window is open.
 */
import type { AlertMark } from '../../shared/history/types.js';
import type { HistoryExportPage, HistoryExportRequest, HistorySeries, HistorySeriesRequest, NodeSeries } from '../../shared/protocol/agentHistory.js';
import { EXPORT_FAMILIES } from '../../shared/history/exportFormat.js';
import { MinMaxBuckets } from '../../shared/history/downsample.js';
import { columnOf, columnStart } from '../../shared/history/seriesMerge.js';
import { gridFor, recordedRange } from '../../shared/history/grid.js';

export interface Second {
  t: number;
  id: number;
  load: number;
  mem?: number;
}

export function fakeHistoryAgent(started: number, seconds: Second[] = []) {
  const h = { started, seconds, checkpoints: [] as { t: number; label: string }[], alerts: [] as AlertMark[] };
  const answer = (req: HistorySeriesRequest): HistorySeries => {
    const last = Math.max(h.started, ...h.seconds.map((s) => s.t));
    const fit = req.recorded ? gridFor(recordedRange(h.started, last), req.buckets, !req.backup) : undefined;
    const from = fit?.from ?? req.from ?? h.started;
    const to = fit?.to ?? req.to ?? from + 86_400_000;
    const grid = { from, to, buckets: fit?.buckets ?? req.buckets };
    const first = req.since === undefined ? 0 : columnOf(grid, req.since);
    const readFrom = columnStart(grid, first);
    const next = columnStart(grid, columnOf(grid, Math.min(to, Math.max(from, last))));
    const per = new Map<number, Map<string, MinMaxBuckets>>();
    for (const s of h.seconds) {
      if (s.t < readFrom || s.t > to) continue;
      if (!per.has(s.id)) per.set(s.id, new Map(req.metrics.map((k) => [k, new MinMaxBuckets(from, to, grid.buckets, undefined, next)])));
      for (const [k, b] of per.get(s.id)!) b.add(s.t, k === 'load' ? s.load : (s.mem ?? 0));
    }
    // As the agent answers: no columns after the one holding the last record (they hold nothing yet).
    const end = columnOf(grid, next) + 1;
    const nodes: NodeSeries[] = [...per.entries()].sort(([a], [b]) => a - b).map(([id, m]) => ({
      id, host: `node${id}`,
      series: Object.fromEntries([...m].map(([k, b]) => [k, { min: b.min.slice(first, end), max: b.max.slice(first, end), mean: b.series().mean.slice(first, end), stats: b.stats(), settled: b.settledStats() }])),
    }));
    return { backup: req.backup ?? null, started: h.started, last, from, to, buckets: grid.buckets, first, next, nodes, checkpoints: h.checkpoints.filter((c) => c.t >= readFrom && c.t <= to), alerts: h.alerts.filter((a) => a.t >= readFrom && a.t <= to) };
  };
  /** history.export as the agent pages it: the seconds of from..to after `after`, `pageRows` at most. */
  const exportPage = (req: HistoryExportRequest, pageRows = 1000): HistoryExportPage => {
    const metrics = EXPORT_FAMILIES[req.family].metrics.map((m) => m.metric);
    const inRange = h.seconds.filter((s) => s.t >= req.from && s.t <= req.to);
    const ids = req.nodes ?? [...new Set(inRange.map((s) => s.id))].sort((a, b) => a - b);
    const times = [...new Set(inRange.filter((s) => req.after === undefined || s.t > req.after).map((s) => s.t))].sort((a, b) => a - b);
    const at = new Map(inRange.map((s) => [`${s.t}:${s.id}`, s]));
    const rows = times.slice(0, pageRows).map((t) => ({
      t,
      v: ids.flatMap((id) => {
        const s = at.get(`${t}:${id}`);
        return metrics.map((k) => (s ? (k === 'load' ? s.load : (s.mem ?? 0)) : null));
      }),
    }));
    const head = { family: req.family, from: req.from, to: req.to, collector: 'n1', backup: req.backup ?? null, nodes: ids.map((id) => ({ id, host: `node${id}` })) };
    return { head, rows, ...(times.length > pageRows ? { next: rows[rows.length - 1]!.t } : {}) };
  };
  return { h, answer, exportPage };
}
