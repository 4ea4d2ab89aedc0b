/**
 * The desktop app's export: the admin picks the file in the save dialog, then the main
 * process writes the export there page by page from the collector's node. The file appears
 * whole or not at all: it is written beside as NAME.part and renamed when complete, so a
 * failed export never leaves half a file under the name chosen, nor replaces a good one.
 */
import { open, rename, rm } from 'node:fs/promises';
import type { HistoryExportPage, HistoryExportRequest } from '../../shared/protocol/agentHistory.js';
import { exportFileName, type ExportFormat } from '../../shared/history/exportFormat.js';
import { runExport } from '../../shared/history/exportRun.js';
import { RpcError } from '../../shared/protocol/rpc.js';

/** Asks the admin where to save; undefined when cancelled. Electron's dialog in the app (electron/app/saveDialog.ts). */
export type SaveDialog = (o: { defaultName: string; format: ExportFormat }) => Promise<string | undefined>;

export async function exportToFile(
  dialog: SaveDialog | undefined,
  page: (req: HistoryExportRequest) => Promise<HistoryExportPage>,
  req: Omit<HistoryExportRequest, 'after'>,
  format: ExportFormat,
): Promise<{ path: string; rows: number } | null> {
  if (!dialog) throw new RpcError('EFAIL', 'saving to a file needs the desktop app: in a browser the export is a download (File, Export CSV… or Export JSON…)');
  const path = await dialog({ defaultName: exportFileName(req, format), format });
  if (!path) return null;
  const part = `${path}.part`;
  let fh;
  try {
    fh = await open(part, 'w');
  } catch (e) {
    throw new RpcError('EIO', `cannot write ${part} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose a folder you may write to`);
  }
  try {
    const done = await runExport(page, req, format, async (s) => {
      await fh.write(s);
    });
    await fh.close();
    await rename(part, path);
    return { path, rows: done.rows };
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(part, { force: true });
    if (e instanceof RpcError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new RpcError('EIO', `the export to ${path} failed${code ? ` (${code})` : ''}: ${(e as Error).message}; nothing was written there: free space or choose another place`);
  }
}
