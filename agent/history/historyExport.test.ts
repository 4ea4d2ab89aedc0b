import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../collector/store/historyWriter.js';
import { HistoryReader } from '../collector/store/historyReader.js';
import { NO_IO, type HistoryNodeSample, type SampleRecord } from '../../shared/history/types.js';
import type { HistoryExportRequest } from '../../shared/protocol/agentHistory.js';
import { runExport } from '../../shared/history/exportRun.js';
import { exportPage } from './historyExport.js';
import { seriesOf } from './historyQueries.js';

const T0 = 1_796_000_000_300; // not on a whole second: rows keep the recorded times
let root: string;
let dir: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'mvexport-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const node = (id: number, s: number, up = true): HistoryNodeSample => ({
  id, up, load: up ? ((s * 7 + id * 13) % 300) / 100 : 0, cpus: 3, speed: 10000, util: 0, tmemKb: 8_000_000 * id, rmemKb: 1_000_000 + s, memKb: 2_000_000 + s * id,
  ...(up ? { diskReadBps: s * 1024, diskWriteBps: id * 2048, netRxBps: (s % 9) * 45 * 1024, netTxBps: 1024 * 1024 + id * 1024 } : NO_IO),
});

/**
 * 200 seconds: node 1 always; node 2 down for seconds 20-29 and absent (not in the view) for 40-49;
 * node 3 joins at second 100; nothing recorded for seconds 150-159 (the collector stopped).
 */
function record(s: number): SampleRecord | undefined {
  if (s >= 150 && s < 160) return undefined;
  const nodes = [node(1, s)];
  if (!(s >= 40 && s < 50)) nodes.push(node(2, s, !(s >= 20 && s < 30)));
  if (s >= 100) nodes.push(node(3, s));
  return { t: T0 + s * 1000, nodes };
}

beforeAll(() => {
  dir = join(root, 'h');
  const w = HistoryWriter.open(dir, 'n1', T0, { sync: false });
  w.writeNodes({ t: T0, nodes: [{ id: 1, host: 'n1' }, { id: 2, host: 'n2' }, { id: 3, host: 'n3' }] });
  for (let s = 0; s < 200; s++) {
    const r = record(s);
    if (r) w.writeSamples(r);
    w.flush();
  }
  w.close();
});

function withReader<T>(fn: (r: HistoryReader) => T): T {
  const r = HistoryReader.open(dir);
  try {
    return fn(r);
  } finally {
    r.close();
  }
}

describe('exportPage', () => {
  it('every recorded second of the range, each node in its own columns, empty where it was down or absent', () => {
    const page = withReader((r) => exportPage(r, null, { family: 'load', from: T0 + 15_000, to: T0 + 55_000 }));
    expect(page.head).toEqual({ family: 'load', from: T0 + 15_000, to: T0 + 55_000, collector: 'n1', backup: null, nodes: [{ id: 1, host: 'n1' }, { id: 2, host: 'n2' }] });
    expect(page.next).toBeUndefined();
    expect(page.rows.map((r) => r.t)).toEqual(Array.from({ length: 41 }, (_, i) => T0 + (15 + i) * 1000));
    for (const row of page.rows) {
      const s = (row.t - T0) / 1000;
      const n2 = (s >= 20 && s < 30) || (s >= 40 && s < 50) ? null : (100 * node(2, s).load) / 3;
      expect(row.v).toEqual([(100 * node(1, s).load) / 3, n2]);
    }
  });

  it('memory: mem, rmem, tmem per node as stored (kB)', () => {
    const page = withReader((r) => exportPage(r, null, { family: 'mem', from: T0 + 120_000, to: T0 + 120_000, nodes: [3, 1] }));
    expect(page.head.nodes.map((n) => n.id)).toEqual([3, 1]);
    const n3 = node(3, 120);
    const n1 = node(1, 120);
    expect(page.rows).toEqual([{ t: T0 + 120_000, v: [n3.memKb, n3.rmemKb, n3.tmemKb, n1.memKb, n1.rmemKb, n1.tmemKb] }]);
  });

  it('I/O: disk read, disk write, network receive, network send per node as stored (B/s)', () => {
    const page = withReader((r) => exportPage(r, null, { family: 'io', from: T0 + 121_000, to: T0 + 121_000, nodes: [1, 3] }));
    const [n1, n3] = [node(1, 121), node(3, 121)];
    expect(page.rows).toEqual([{ t: T0 + 121_000, v: [n1, n3].flatMap((n) => [n.diskReadBps, n.diskWriteBps, n.netRxBps, n.netTxBps]) }]);
    expect(page.rows[0]!.v.slice(0, 4)).toEqual([121 * 1024, 2048, 4 * 45 * 1024, 1025 * 1024]);
  });

  it('by default every node up at least once in the range; a node asked for but never recorded is all empty', () => {
    expect(withReader((r) => exportPage(r, null, { family: 'load', from: T0, to: T0 + 90_000 })).head.nodes.map((n) => n.id)).toEqual([1, 2]);
    expect(withReader((r) => exportPage(r, null, { family: 'load', from: T0, to: T0 + 199_000 })).head.nodes.map((n) => n.id)).toEqual([1, 2, 3]);
    const page = withReader((r) => exportPage(r, null, { family: 'load', from: T0, to: T0 + 5000, nodes: [9] }));
    expect(page.head.nodes).toEqual([{ id: 9, host: '' }]);
    expect(page.rows.every((r) => r.v.length === 1 && r.v[0] === null)).toBe(true);
  });

  it('an empty range: no rows', () => {
    expect(withReader((r) => exportPage(r, null, { family: 'load', from: T0 + 151_000, to: T0 + 158_000 })).rows).toEqual([]);
    expect(withReader((r) => exportPage(r, null, { family: 'load', from: T0 - 60_000, to: T0 - 1 })).rows).toEqual([]);
  });

  it('in pages, the same rows as in one read, and the gap where nothing was recorded', async () => {
    const req: HistoryExportRequest = { family: 'mem', from: T0, to: T0 + 300_000 };
    const whole = withReader((r) => exportPage(r, null, req));
    const asked: HistoryExportRequest[] = [];
    let paged = '';
    let once = '';
    await runExport(async (q) => (asked.push(q), withReader((r) => exportPage(r, null, q, 9 * 7))), req, 'csv', (s) => void (paged += s));
    await runExport(async (q) => withReader((r) => exportPage(r, null, q)), req, 'csv', (s) => void (once += s));
    expect(asked.length).toBe(Math.ceil(whole.rows.length / 7));
    expect(paged).toBe(once);
    const lines = once.trim().split('\n');
    expect(lines.length).toBe(1 + 190 + 1); // header, 190 recorded seconds, one gap mark
    expect(lines.filter((l) => /^[^,]+,\d+(,)+$/.test(l))).toEqual([`${new Date(T0 + 150_000).toISOString()},${T0 + 150_000}${','.repeat(9)}`]);
  });

  it.each([50, 2])('its figures are those the chart\'s table reads on %i columns (seconds, or minute summaries): the same peak, peak time and average', (buckets) => {
    const from = T0;
    const to = T0 + 199_000;
    for (const id of [1, 2, 3]) {
      const page = withReader((r) => exportPage(r, null, { family: 'load', from, to, nodes: [id] }));
      const values = page.rows.map((r) => r.v[0]).filter((v): v is number => v !== null);
      const stats = withReader((r) => seriesOf(r, null, { from, to, buckets, metrics: ['load'] })).nodes.find((n) => n.id === id)!.series.load!.stats;
      const peak = Math.max(...values);
      expect(peak).toBe(stats.peak);
      expect(page.rows.find((r) => r.v[0] === peak)!.t).toBe(stats.peakT);
      expect(values.length).toBe(stats.samples);
      expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(stats.avg!, 9);
    }
  });
});
