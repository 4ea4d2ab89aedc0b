import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorPaths, type CollectorPaths } from './config.js';
import { HistoryWriter } from './store/historyWriter.js';
import { collectorCommand } from './collectorCli.js';
import { NO_IO } from '../../shared/history/types.js';

const T0 = Date.UTC(2026, 10, 29, 14, 0, 0, 400);
let base: string;
let p: CollectorPaths;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mvexportcli-'));
  p = collectorPaths({ dir: base, socket: '', pidFile: '', log: '' }, join(base, 'none.json'));
  const w = HistoryWriter.open(p.current, 'n1', T0, { sync: false });
  w.writeNodes({ t: T0, nodes: [{ id: 1, host: 'n1' }, { id: 2, host: 'n2' }] });
  for (let s = 0; s < 120; s++) {
    if (s >= 60 && s < 70) continue; // stopped for ten seconds
    w.writeSamples({ t: T0 + s * 1000, nodes: [1, 2].map((id) => ({ id, up: !(id === 2 && s < 5), load: (s % 9) / 4, cpus: 3, speed: 10000, util: 0, tmemKb: 4e6, rmemKb: 1e6 + s, memKb: 2e6 + s, ...NO_IO })) });
    w.flush();
  }
  w.close();
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  let text = '';
  await collectorCommand(p, ['--export', ...args], () => undefined, 'unused', (s) => void (text += s));
  return text;
}

describe('mosixcollector --export', () => {
  it('prints every recorded second of the range as CSV, node 2 empty while down, one gap mark', async () => {
    const lines = (await run([new Date(T0).toISOString(), new Date(T0 + 119_000).toISOString()])).trim().split('\n');
    expect(lines[0]).toBe('time (UTC),time (epoch ms),node 1 (n1) load (%),node 2 (n2) load (%)');
    expect(lines.length).toBe(1 + 110 + 1);
    expect(lines[1]).toBe(`2026-11-29T14:00:00.400Z,${T0},0,`);
    expect(lines[7]).toBe(`2026-11-29T14:00:06.400Z,${T0 + 6000},${(100 * (6 / 4)) / 3},${(100 * (6 / 4)) / 3}`);
    expect(lines[61]).toBe(`2026-11-29T14:01:00.400Z,${T0 + 60_000},,`);
    expect(lines[62]!.startsWith('2026-11-29T14:01:10.400Z,')).toBe(true);
  });

  it('JSON of the memory history for the nodes asked', async () => {
    const doc = JSON.parse(await run(['@' + (T0 + 100_000) / 1000, '@' + (T0 + 101_000) / 1000, '--format', 'json', '--history', 'mem', '--nodes', '2']));
    expect(doc.columns.map((c: { name: string }) => c.name)).toEqual(['node 2 (n2) mem (kB)', 'node 2 (n2) rmem (kB)', 'node 2 (n2) tmem (kB)']);
    expect(doc.rows).toEqual([
      { time: '2026-11-29T14:01:40.400Z', t: T0 + 100_000, values: [2e6 + 100, 1e6 + 100, 4e6] },
      { time: '2026-11-29T14:01:41.400Z', t: T0 + 101_000, values: [2e6 + 101, 1e6 + 101, 4e6] },
    ]);
  });

  it('a backup that is not one, or no history at all, is refused in words', async () => {
    await expect(run(['-1h', 'now', '--backup', '../etc'])).rejects.toThrow(/"\.\.\/etc" is not the name of a history backup/);
    const empty = collectorPaths({ dir: join(base, 'none'), socket: '', pidFile: '', log: '' }, join(base, 'none.json'));
    await expect(collectorCommand(empty, ['--export', '-1h', 'now'], () => undefined, 'unused', () => undefined)).rejects.toThrow(/there is no history on .* yet: start the collector there/);
  });
});
