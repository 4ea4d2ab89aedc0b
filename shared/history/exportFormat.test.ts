import { describe, expect, it } from 'vitest';
import { csvField, exportColumns, exportFileName, ExportWriter, formatExport, type ExportHead, type ExportRow } from './exportFormat.js';
import { runExport } from './exportRun.js';
import type { HistoryExportPage, HistoryExportRequest } from '../protocol/agentHistory.js';

const T0 = Date.UTC(2026, 10, 29, 14, 0, 0, 250);
const head = (over: Partial<ExportHead> = {}): ExportHead => ({
  family: 'load', from: T0, to: T0 + 60_000, collector: 'n1', backup: null, nodes: [{ id: 1, host: 'n1' }, { id: 2, host: 'n2' }], ...over,
});

/** CSV text as rows of fields (enough for these files: no quoted line breaks in figures). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const fields: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let s = '';
        i++;
        for (;;) {
          if (line[i] === '"' && line[i + 1] === '"') {
            s += '"';
            i += 2;
          } else if (line[i] === '"') break;
          else s += line[i++];
        }
        fields.push(s);
        i += 2;
      } else {
        const end = line.indexOf(',', i);
        fields.push(line.slice(i, end < 0 ? undefined : end));
        i = end < 0 ? line.length + 1 : end + 1;
      }
    }
    rows.push(fields);
  }
  return rows;
}

describe('CSV', () => {
  it('has one row per recorded second and one column per node and metric, named with metric and unit', () => {
    const text = formatExport('csv', head(), [{ t: T0, v: [12.5, 100] }, { t: T0 + 1000, v: [22.333333333333332, 0] }]);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['time (UTC)', 'time (epoch ms)', 'node 1 (n1) load (%)', 'node 2 (n2) load (%)']);
    expect(rows.slice(1)).toEqual([
      ['2026-11-29T14:00:00.250Z', String(T0), '12.5', '100'],
      ['2026-11-29T14:00:01.250Z', String(T0 + 1000), '22.333333333333332', '0'],
    ]);
    // The stored figure, not a rounding of it: it reads back as the same number.
    expect(Number(rows[2]![2])).toBe(22.333333333333332);
  });

  it('memory: three columns per node, in kB, node after node', () => {
    const cols = exportColumns(head({ family: 'mem' })).map((c) => c.name);
    expect(cols).toEqual([
      'node 1 (n1) mem (kB)', 'node 1 (n1) rmem (kB)', 'node 1 (n1) tmem (kB)',
      'node 2 (n2) mem (kB)', 'node 2 (n2) rmem (kB)', 'node 2 (n2) tmem (kB)',
    ]);
  });

  it('quotes a field holding a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const text = formatExport('csv', head({ nodes: [{ id: 3, host: 'odd,"name"' }] }), [{ t: T0, v: [1] }]);
    expect(text.split('\n')[0]).toBe('time (UTC),time (epoch ms),"node 3 (odd,""name"") load (%)"');
    expect(parseCsv(text)[0]![2]).toBe('node 3 (odd,"name") load (%)');
  });

  it('an empty range is the header alone', () => {
    expect(formatExport('csv', head(), [])).toBe('time (UTC),time (epoch ms),node 1 (n1) load (%),node 2 (n2) load (%)\n');
  });

  it('a node missing for part of the range has empty cells in exactly those seconds, the others in their own columns', () => {
    const rows: ExportRow[] = [
      { t: T0, v: [10, null] },
      { t: T0 + 1000, v: [11, 50] },
      { t: T0 + 2000, v: [null, 51] },
      { t: T0 + 3000, v: [13, null] },
    ];
    const parsed = parseCsv(formatExport('csv', head(), rows)).slice(1).map((r) => r.slice(2));
    expect(parsed).toEqual([['10', ''], ['11', '50'], ['', '51'], ['13', '']]);
  });

  it('a gap in the record is one row of empty figures at its first missing second; the rows around it keep their times', () => {
    const rows: ExportRow[] = [{ t: T0, v: [1, 2] }, { t: T0 + 1000, v: [3, 4] }, { t: T0 + 9000, v: [5, 6] }, { t: T0 + 10_100, v: [7, 8] }];
    const parsed = parseCsv(formatExport('csv', head(), rows)).slice(1);
    expect(parsed.map((r) => [Number(r[1]) - T0, ...r.slice(2)])).toEqual([[0, '1', '2'], [1000, '3', '4'], [2000, '', ''], [9000, '5', '6'], [10_100, '7', '8']]);
  });
});

describe('JSON', () => {
  it('says what it holds: family, range, resolution, nodes, columns with metric and unit, and the same rows', () => {
    const rows: ExportRow[] = [{ t: T0, v: [12.5, null] }, { t: T0 + 4000, v: [1, 2] }];
    const doc = JSON.parse(formatExport('json', head(), rows));
    expect(doc).toMatchObject({
      format: 'mosixview-history-export', version: 1, family: 'load', collector: 'n1', backup: null,
      from: '2026-11-29T14:00:00.250Z', fromMs: T0, toMs: T0 + 60_000,
      nodes: [{ id: 1, host: 'n1' }, { id: 2, host: 'n2' }],
      columns: [{ node: 1, metric: 'load', unit: '%', name: 'node 1 (n1) load (%)' }, { node: 2, metric: 'load', unit: '%' }],
    });
    expect(doc.resolution).toMatch(/not resampled/);
    expect(doc.rows).toEqual([
      { time: '2026-11-29T14:00:00.250Z', t: T0, values: [12.5, null] },
      { time: '2026-11-29T14:00:01.250Z', t: T0 + 1000, gap: true, values: [null, null] },
      { time: '2026-11-29T14:00:04.250Z', t: T0 + 4000, values: [1, 2] },
    ]);
  });

  it('an empty range has no rows and still parses', () => {
    expect(JSON.parse(formatExport('json', head(), [])).rows).toEqual([]);
  });

  it('written in pages it is the same file as written at once', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ t: T0 + i * 1000 + (i > 5 ? 5000 : 0), v: [i, i % 3 ? null : i * 2] }));
    for (const format of ['csv', 'json'] as const) {
      const w = new ExportWriter(format, head());
      const paged = w.head() + w.rows(rows.slice(0, 3)) + w.rows([]) + w.rows(rows.slice(3, 6)) + w.rows(rows.slice(6)) + w.end();
      expect(paged).toBe(formatExport(format, head(), rows));
    }
  });
});

describe('rows that would make a wrong file', () => {
  it('refuses rows out of order and rows of the wrong width', () => {
    const w = new ExportWriter('csv', head());
    w.rows([{ t: T0 + 1000, v: [1, 1] }]);
    expect(() => w.rows([{ t: T0, v: [1, 1] }])).toThrow(/out of order/);
    expect(() => new ExportWriter('csv', head()).rows([{ t: T0, v: [1] }])).toThrow(/1 figures for 2 columns/);
  });
});

it('names the file by family and UTC range', () => {
  expect(exportFileName(head(), 'csv')).toBe('history-load-20261129T140000Z-20261129T140100Z.csv');
});

describe('runExport', () => {
  it('asks page after page with the first page\'s nodes, and writes head, rows and end', async () => {
    const asked: HistoryExportRequest[] = [];
    const all: ExportRow[] = [0, 1, 2, 3, 4].map((i) => ({ t: T0 + i * 1000, v: [i, null] }));
    const page = async (req: HistoryExportRequest): Promise<HistoryExportPage> => {
      asked.push(req);
      const rest = all.filter((r) => req.after === undefined || r.t > req.after);
      const rows = rest.slice(0, 2);
      return { head: head(), rows, ...(rest.length > 2 ? { next: rows[rows.length - 1]!.t } : {}) };
    };
    let text = '';
    const done = await runExport(page, { family: 'load', from: T0, to: T0 + 60_000 }, 'csv', (s) => void (text += s));
    expect(text).toBe(formatExport('csv', head(), all));
    expect(done).toMatchObject({ rows: 5, fileName: 'history-load-20261129T140000Z-20261129T140100Z.csv' });
    expect(asked.map((r) => [r.after, r.nodes])).toEqual([[undefined, undefined], [T0 + 1000, [1, 2]], [T0 + 3000, [1, 2]]]);
  });

  it('stops with an error rather than loop when a page does not advance', async () => {
    const page = async (): Promise<HistoryExportPage> => ({ head: head(), rows: [], next: T0 });
    await expect(runExport(page, { family: 'load', from: T0, to: T0 + 1 }, 'csv', () => undefined)).rejects.toThrow(/did not advance/);
  });
});
