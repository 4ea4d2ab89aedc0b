import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportToFile, type SaveDialog } from './exportFile.js';
import { formatExport, type ExportHead, type ExportRow } from '../../shared/history/exportFormat.js';
import type { HistoryExportPage, HistoryExportRequest } from '../../shared/protocol/agentHistory.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { electronSaveDialog, type ElectronDialog } from '../app/saveDialog.js';

const T0 = Date.UTC(2026, 10, 29, 14);
const head: ExportHead = { family: 'mem', from: T0, to: T0 + 10_000, collector: 'n1', backup: null, nodes: [{ id: 1, host: 'n1' }] };
const rows: ExportRow[] = Array.from({ length: 6 }, (_, i) => ({ t: T0 + i * 1000, v: [i, i + 1, i + 2] }));
const req: Omit<HistoryExportRequest, 'after'> = { family: 'mem', from: T0, to: T0 + 10_000 };

/** Pages of two rows; `failAt` makes that page's request fail as the agent would. */
const pages = (failAt?: number) => {
  let n = 0;
  return async (q: HistoryExportRequest): Promise<HistoryExportPage> => {
    if (n++ === failAt) throw new RpcError('ETIMEDOUT', 'no answer from node 1 in time');
    const rest = rows.filter((r) => q.after === undefined || r.t > q.after);
    return { head, rows: rest.slice(0, 2), ...(rest.length > 2 ? { next: rest[1]!.t } : {}) };
  };
};

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mvexportfile-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the desktop app\'s export to a file', () => {
  it('asks where, suggesting the file name, and writes the whole export there', async () => {
    const asked: unknown[] = [];
    const path = join(dir, 'mem.csv');
    const dialog: SaveDialog = async (o) => (asked.push(o), path);
    expect(await exportToFile(dialog, pages(), req, 'csv')).toEqual({ path, rows: 6 });
    expect(asked).toEqual([{ defaultName: 'history-mem-20261129T140000Z-20261129T140010Z.csv', format: 'csv' }]);
    expect(readFileSync(path, 'utf8')).toBe(formatExport('csv', head, rows));
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('cancelled: nothing asked of the node, nothing written', async () => {
    let asked = 0;
    expect(await exportToFile(async () => undefined, async () => (asked++, { head, rows: [] }), req, 'json')).toBeNull();
    expect(asked).toBe(0);
  });

  it('a page that fails mid-way: its error, and the file chosen keeps what it held', async () => {
    const path = join(dir, 'kept.json');
    writeFileSync(path, 'the admin\'s earlier export\n');
    await expect(exportToFile(async () => path, pages(2), req, 'json')).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(readFileSync(path, 'utf8')).toBe('the admin\'s earlier export\n');
    expect(existsSync(`${path}.part`)).toBe(false);
  });

  it('a folder it cannot write: EIO naming the file and what to do', async () => {
    writeFileSync(join(dir, 'plain'), '');
    await expect(exportToFile(async () => join(dir, 'plain', 'x.csv'), pages(), req, 'csv')).rejects.toThrow(/cannot write .*plain\/x\.csv\.part \(ENOTDIR\): choose a folder you may write to/);
  });

  it('without a save dialog (the headless mode) it says a browser downloads instead', async () => {
    await expect(exportToFile(undefined, pages(), req, 'csv')).rejects.toThrow(/needs the desktop app: in a browser the export is a download/);
  });
});

describe('Electron\'s save dialog', () => {
  const fake = (focused: object | null, reply: { canceled: boolean; filePath?: string }) => {
    const calls: unknown[][] = [];
    const e = {
      BrowserWindow: { getFocusedWindow: () => focused },
      dialog: { showSaveDialog: async (...args: unknown[]) => (calls.push(args), reply) },
    } as unknown as ElectronDialog;
    return { e, calls };
  };

  it('is modal to the window with focus, filters by format and suggests the name in the home directory', async () => {
    const win = { id: 7 };
    const { e, calls } = fake(win, { canceled: false, filePath: '/tmp/x.csv' });
    expect(await electronSaveDialog(e)({ defaultName: 'h.csv', format: 'csv' })).toBe('/tmp/x.csv');
    expect(calls[0]![0]).toBe(win);
    expect(calls[0]![1]).toMatchObject({ defaultPath: expect.stringMatching(/\/h\.csv$/), filters: [{ extensions: ['csv'] }] });
  });

  it('cancelled is undefined', async () => {
    const { e, calls } = fake(null, { canceled: true, filePath: '' });
    expect(await electronSaveDialog(e)({ defaultName: 'h.json', format: 'json' })).toBeUndefined();
    expect(calls[0]![0]).toMatchObject({ filters: [{ extensions: ['json'] }] });
  });
});
