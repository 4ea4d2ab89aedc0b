/**
 * The pages of an export (shared/history/exportFormat.ts), read from the history files on
 * this node: every recorded second of the range as stored, never the chart's columns nor
 * the minute summaries. The agent answers the GUI with it (history.export) and
 * `mosixcollector --export` calls it directly.
 */
import type { HistoryExportPage, HistoryExportRequest } from '../../shared/protocol/agentHistory.js';
import type { SampleRecord } from '../../shared/history/types.js';
import { EXPORT_FAMILIES, type ExportRow } from '../../shared/history/exportFormat.js';
import type { HistoryReader } from '../collector/store/historyReader.js';
import { HISTORY_METRICS } from './metrics.js';

/** Figures per page: a few MB of JSON, whatever the number of nodes and metrics. */
export const PAGE_CELLS = 200_000;

/** Every node recorded up at least once in from..to, as the windows' node tables list them. */
function nodesUpIn(r: HistoryReader, from: number, to: number): number[] {
  const ids = new Set<number>();
  r.samples(from, to, (rec) => {
    for (const n of rec.nodes) if (n.up) ids.add(n.id);
  });
  return [...ids].sort((a, b) => a - b);
}

export function exportPage(r: HistoryReader, backup: string | null, req: HistoryExportRequest, pageCells = PAGE_CELLS): HistoryExportPage {
  const { family, from, to } = req;
  const metrics = EXPORT_FAMILIES[family].metrics.map((m) => HISTORY_METRICS[m.metric]);
  const ids = req.nodes ?? nodesUpIn(r, from, to);
  const names = new Map((r.namesAt(to)?.nodes ?? []).map((n) => [n.id, n.host]));
  const column = new Map(ids.map((id, i) => [id, i * metrics.length]));
  const width = ids.length * metrics.length;
  const maxRows = Math.max(1, Math.floor(pageCells / Math.max(1, width)));
  const start = req.after !== undefined ? Math.max(from, Math.floor(req.after) + 1) : from;

  const rows: ExportRow[] = [];
  let more = false;
  if (start <= to) {
    r.samples(start, to, (rec: SampleRecord) => {
      if (rows.length === maxRows) {
        more = true;
        return false;
      }
      // Each figure goes to its node's own columns; a node down or absent that second leaves them empty.
      const v = new Array<number | null>(width).fill(null);
      for (const n of rec.nodes) {
        const at = column.get(n.id);
        if (at === undefined || !n.up) continue;
        metrics.forEach((f, k) => (v[at + k] = f(n)));
      }
      rows.push({ t: rec.t, v });
    });
  }
  return {
    head: { family, from, to, collector: r.header.host, backup, nodes: ids.map((id) => ({ id, host: names.get(id) ?? '' })) },
    rows,
    ...(more ? { next: rows[rows.length - 1]!.t } : {}),
  };
}
