/** Electron's save dialog as the history export's SaveDialog: the only Electron code of the export (electron/history/exportFile.ts). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SaveDialog } from '../history/exportFile.js';

type ElectronModule = typeof import('electron');
export type ElectronDialog = Pick<ElectronModule, 'dialog' | 'BrowserWindow'>;

const FILTERS = {
  csv: { name: 'CSV (spreadsheets, gnuplot)', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
};

export function electronSaveDialog(e: ElectronDialog): SaveDialog {
  return async ({ defaultName, format }) => {
    const options = { title: 'Export history', defaultPath: join(homedir(), defaultName), filters: [FILTERS[format]] };
    // Modal to the window that asked (the one with focus: the admin just chose its menu item).
    const parent = e.BrowserWindow.getFocusedWindow();
    const r = parent ? await e.dialog.showSaveDialog(parent, options) : await e.dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? undefined : r.filePath;
  };
}
