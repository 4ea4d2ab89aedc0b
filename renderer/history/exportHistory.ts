/**
 * Export from a history window (docs/HISTORY.md, "Export"): the range the chart shows and
 * the nodes chosen in its table, every recorded second as stored. In the desktop
 * app the main process asks where to save and writes the file (history.exportFile); in a
 * browser the window asks for the pages itself and the file is a download.
 */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { HistoryExportRequest } from '../../shared/protocol/agentHistory.js';
import { MIME, type ExportFormat } from '../../shared/history/exportFormat.js';
import { runExport } from '../../shared/history/exportRun.js';

export type ExportRange = Omit<HistoryExportRequest, 'after'>;

/**
 * The range the chart shows (its time axis), both ends included. Its columns may reach past
 * it, up to a column at either end (they lie on round steps) and, for the live history, into
 * the future; the file says what the admin saw, not the columns asked for.
 */
export function shownExportRange(range: readonly [number, number]): { from: number; to: number } {
  return { from: Math.floor(range[0]), to: Math.ceil(range[1]) };
}

export type ExportSaved = { where: 'file'; path: string; rows: number } | { where: 'download'; fileName: string; rows: number } | null;

/** Hands the finished file to the browser as a download (headless mode). */
export function download(parts: string[], fileName: string, format: ExportFormat): void {
  const url = URL.createObjectURL(new Blob(parts, { type: `${MIME[format]};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference by now; the page's can go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function exportHistory(
  bridge: MosixviewBridge,
  req: ExportRange,
  format: ExportFormat,
  inDesktopApp: boolean,
  save: typeof download = download,
): Promise<ExportSaved> {
  if (inDesktopApp) {
    const r = await bridge.invoke('history.exportFile', { format, export: req });
    return r && { where: 'file', ...r };
  }
  const parts: string[] = [];
  const done = await runExport((q) => bridge.invoke('history.export', q), req, format, (s) => void parts.push(s));
  save(parts, done.fileName, format);
  return { where: 'download', fileName: done.fileName, rows: done.rows };
}
