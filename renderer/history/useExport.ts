/**
 * A metric window's File, Export: which nodes its table has chosen (every node unless
 * unticked, so a node that appears later is in), one export at a time, and what it did.
 */
import { useCallback, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { HistorySeries } from '../../shared/protocol/agentHistory.js';
import type { ExportFamily, ExportFormat } from '../../shared/history/exportFormat.js';
import { exportHistory, shownExportRange, type ExportSaved } from './exportHistory.js';
import type { FrameExport } from './HistoryFrame.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function describeSaved(s: NonNullable<ExportSaved>, nodes: number): string {
  const what = `${plural(s.rows, 'recorded second')} of ${plural(nodes, 'node')}`;
  return s.where === 'file' ? `Saved ${what} to ${s.path}` : `Exported ${what} as ${s.fileName} (downloaded)`;
}

export function useExport(bridge: MosixviewBridge, family: ExportFamily, series: HistorySeries | undefined, range: readonly [number, number] | undefined, backup: string | undefined) {
  const [unchosen, setUnchosen] = useState<ReadonlySet<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<FrameExport['outcome']>();
  const choose = useCallback((id: number, chosen: boolean) => {
    setUnchosen((u) => {
      const next = new Set(u);
      if (chosen) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const nodes = series?.nodes.map((n) => n.id).filter((id) => !unchosen.has(id)) ?? [];
  const unavailable = busy ? 'an export is running' : !series || !range ? 'the history is not read yet' : nodes.length === 0 ? 'tick at least one node in the table' : undefined;

  const run = (format: ExportFormat) => {
    if (!range || unavailable) return;
    setBusy(true);
    setOutcome(undefined);
    const req = { family, ...shownExportRange(range), nodes, ...(backup ? { backup } : {}) };
    exportHistory(bridge, req, format, !!window.mosixview).then(
      (saved) => setOutcome(saved ? { ok: true, text: describeSaved(saved, nodes.length) } : undefined),
      (e: Error) => setOutcome({ ok: false, text: `The export failed: ${e.message}` }),
    ).finally(() => setBusy(false));
  };
  const frame: FrameExport = { run, ...(unavailable ? { unavailable } : {}), ...(outcome ? { outcome } : {}) };
  return { frame, unchosen, choose };
}
