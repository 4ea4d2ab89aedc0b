/**
 * One export from its pages to its text: asks for pages until the range is done and hands
 * each piece of the file to `write` as it is formatted. The window (a download), the desktop
 * app's main process (a file chosen in its save dialog) and `mosixcollector --export` (stdout)
 * all run this, each with its own way to ask for a page.
 */
import type { HistoryExportPage, HistoryExportRequest } from '../protocol/agentHistory.js';
import { ExportWriter, exportFileName, type ExportFormat, type ExportHead } from './exportFormat.js';

export interface ExportDone {
  head: ExportHead;
  /** Recorded seconds written (gap marks not counted). */
  rows: number;
  fileName: string;
}

export async function runExport(
  page: (req: HistoryExportRequest) => Promise<HistoryExportPage>,
  req: Omit<HistoryExportRequest, 'after'>,
  format: ExportFormat,
  write: (text: string) => void | Promise<void>,
): Promise<ExportDone> {
  let p = await page(req);
  const head = p.head;
  const w = new ExportWriter(format, head);
  let rows = 0;
  await write(w.head());
  for (;;) {
    await write(w.rows(p.rows));
    rows += p.rows.length;
    if (p.next === undefined) break;
    const last = p.next;
    // Later pages keep the columns of the first, even if a node joins the cluster meanwhile.
    p = await page({ ...req, nodes: head.nodes.map((n) => n.id), after: last });
    if (p.next !== undefined && p.next <= last) throw new Error(`the export did not advance past ${new Date(last).toISOString()}: the collector's node answered the same page twice`);
  }
  await write(w.end());
  return { head, rows, fileName: exportFileName(head, format) };
}
