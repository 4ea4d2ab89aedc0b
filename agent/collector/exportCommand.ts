/**
 * `mosixcollector --export`: the history on this node as CSV or JSON on stdout, read from its
 * files (no daemon needed), page by page as the GUI's export is, so both write the same bytes.
 */
import { runExport } from '../../shared/history/exportRun.js';
import { exportPage } from '../history/historyExport.js';
import { withReader } from '../history/historyQueries.js';
import type { CollectorPaths } from './config.js';
import { parseExportArgs } from './exportArgs.js';

/** Writes to stdout, waiting while its pipe is full (a day of 64 nodes is tens of MB). */
export function writeStdout(text: string): Promise<void> | void {
  if (text === '' || process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

export async function exportCommand(p: CollectorPaths, args: string[], write: (text: string) => Promise<void> | void = writeStdout, now = Date.now()): Promise<void> {
  const { backup, format, ...req } = parseExportArgs(args, now);
  await runExport(async (q) => withReader(p, backup, (r, name) => exportPage(r, name, q)), req, format, write);
}
