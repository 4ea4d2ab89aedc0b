/**
 * The collector on a failing disk: it never stops, a failed second is a gap, a failed
 * rotation is retried, each kind of failure is logged once (with errno and directory)
 * until it recovers, and its status says what went wrong last.
 */
import { DEFAULT_RULES } from '../../shared/alerts/alertRules.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector, ROTATION_RETRY_MS } from './collector.js';
import { collectorPaths, type CollectorPaths, type CollectorSettings } from './config.js';
import { HistoryReader } from './store/historyReader.js';
import { FaultyIo } from './store/faultyIo.test-util.js';
import { LOG_FILE } from './store/historyWriter.js';
import { CURRENT_DIR } from './store/rotation.js';
import type { ClusterViewSource } from './clusterViewSource.js';

const T0 = 1_700_000_000_000;
/** A load that differs every second, so a value written under the wrong second shows. */
const loadAt = (t: number) => ((t / 1000) % 97) / 10;

let state: string;
let paths: CollectorPaths;
let now: number;
let lines: string[];
let io: FaultyIo;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'mvcolfail-'));
  paths = collectorPaths({ dir: state, socket: '', pidFile: '', log: '' });
  now = T0;
  lines = [];
  io = new FaultyIo();
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

const source: ClusterViewSource = {
  nodes: async () => [{
    id: 1, host: 'a', status: 'up',
    sample: { t: now, hostname: 'a', cpus: 2, demand: 0, load: loadAt(now), util: 10, mem: { totalKb: 100, freeKb: 20, availableKb: 60 }, speed: 10000, procCount: 1 },
  }],
  procs: async () => [],
  close: () => undefined,
};

const collector = (s: Partial<CollectorSettings> = {}) =>
  new Collector(paths, { rotateEveryS: 86_400, retentionDays: 0, procsEveryS: 86_400, alerts: DEFAULT_RULES, ...s }, source, (l) => lines.push(l), () => now, io);

/** Ticks once a second from `from` to `to` - 1 (seconds after T0), running `at[s]` before second s. */
async function run(c: Collector, from: number, to: number, at: Record<number, () => void> = {}): Promise<void> {
  for (let s = from; s < to; s++) {
    now = T0 + s * 1000;
    at[s]?.();
    await c.tick();
    await c.settled();
  }
}

/** Every recorded second of a history directory, as [second, load]. */
function seconds(dir: string): [number, number][] {
  const r = HistoryReader.open(dir);
  const out: [number, number][] = [];
  r.samples(-Infinity, Infinity, (x) => out.push([(x.t - T0) / 1000, x.nodes[0]!.load]));
  r.close();
  return out;
}
const expected = (ss: number[]) => ss.map((s) => [s, loadAt(T0 + s * 1000)]);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const backups = () => readdirSync(paths.dir).filter((n) => n.startsWith(`${CURRENT_DIR}-`));

describe('collector on a failing disk', () => {
  it('a full disk costs its seconds only: logged once with errno and directory, the recovery logged, the problem in its status', async () => {
    const c = collector();
    await run(c, 0, 10, { 0: () => io.fail({ call: 'writeSync', file: LOG_FILE, code: 'ENOSPC', times: Infinity }), 3: () => io.heal() });
    expect(seconds(paths.current)).toEqual(expected(range(3, 10)));
    const r = HistoryReader.open(paths.current);
    expect(r.namesAt(now)?.nodes).toEqual([{ id: 1, host: 'a' }]); // the names went with a lost second: written again
    r.close();
    const full = lines.filter((l) => l.includes('ENOSPC'));
    expect(full).toHaveLength(1);
    expect(full[0]).toContain(paths.current);
    expect(lines.filter((l) => /works again/.test(l))).toHaveLength(1);
    expect(c.status().problem).toMatchObject({ since: T0, until: T0 + 3000 });
    expect(c.status().problem?.message).toContain('ENOSPC');
    c.stop();
  });

  it('a checkpoint that cannot be written is refused with the reason; the next one is written', async () => {
    const c = collector();
    await run(c, 0, 2);
    io.fail({ call: 'writeSync', file: LOG_FILE, code: 'ENOSPC' });
    expect(() => c.checkpoint('lost')).toThrow(/checkpoint.*not written.*full/);
    c.checkpoint('kept');
    await run(c, 2, 4);
    const r = HistoryReader.open(paths.current);
    expect(r.checkpoints().map((k) => k.label)).toEqual(['kept']);
    r.close();
    expect(seconds(paths.current)).toEqual(expected(range(0, 4)));
    c.stop();
  });

  it('a rotation whose rename fails: recording goes on in the old history, retried after a while, logged once', async () => {
    const c = collector({ rotateEveryS: 5 });
    const retried = 5 + ROTATION_RETRY_MS / 1000;
    await run(c, 0, retried + 3, { 5: () => io.fail({ call: 'renameSync', file: CURRENT_DIR, code: 'EBUSY' }) });
    expect(io.failed.renameSync).toBe(1);
    const saved = backups();
    expect(saved).toHaveLength(1);
    expect(seconds(join(paths.dir, saved[0]!))).toEqual(expected(range(0, retried)));
    expect(seconds(paths.current)).toEqual(expected(range(retried, retried + 3)));
    expect(c.historyStart).toBe(T0 + retried * 1000);
    const busy = lines.filter((l) => l.includes('EBUSY'));
    expect(busy).toHaveLength(1);
    expect(busy[0]).toContain(paths.dir);
    expect(lines.filter((l) => /rotation works again/.test(l))).toHaveLength(1);
    c.stop();
  });

  it('a rotation whose new history cannot be created: recording goes on in the saved one until it can', async () => {
    const c = collector({ rotateEveryS: 5 });
    const healAt = 5 + 2 * (ROTATION_RETRY_MS / 1000) + 3;
    // Tried at 5, 65 and 125 while the disk is full; at 185 it can.
    const reopened = 5 + 3 * (ROTATION_RETRY_MS / 1000);
    await run(c, 0, reopened + 8, {
      5: () => io.fail({ call: 'openSync', file: LOG_FILE, code: 'ENOSPC', times: Infinity }),
      [healAt]: () => io.heal(),
    });
    expect(io.failed.openSync).toBe(3);
    const saved = backups().sort();
    expect(saved).toHaveLength(2); // the first rotation, done late, and the next one 5 s after it
    expect(seconds(join(paths.dir, saved[0]!))).toEqual(expected(range(0, reopened)));
    expect(seconds(join(paths.dir, saved[1]!))).toEqual(expected(range(reopened, reopened + 5)));
    expect(seconds(paths.current)).toEqual(expected(range(reopened + 5, reopened + 8)));
    const full = lines.filter((l) => l.includes('ENOSPC'));
    expect(full).toHaveLength(1);
    expect(full[0]).toMatch(new RegExp(`saved as ${join(paths.dir, saved[0]!)}, .*cannot be started.*${paths.current} .*recording goes on in ${join(paths.dir, saved[0]!)};`));
    c.stop();
  });

  it('a read-only or full history directory at start: an error naming the directory and what to do', () => {
    io.fail({ call: 'openSync', file: LOG_FILE, code: 'EROFS' });
    expect(() => collector()).toThrow(new RegExp(`${paths.current}.*EROFS.*read-only.*MOSIXVIEW_STATE_DIR`));
    rmSync(paths.current, { recursive: true, force: true });
    io.fail({ call: 'writeSync', file: LOG_FILE, code: 'ENOSPC' });
    expect(() => collector()).toThrow(new RegExp(`${paths.current}.*ENOSPC.*full.*free`));
    collector().stop(); // and once the disk has room, it starts
  });

  it('stop never throws (it runs from a signal handler), even when the socket cannot be removed', async () => {
    const c = collector();
    await run(c, 0, 2);
    c.checkpoint('last'); // stop still closes the writer: nothing pending is lost
    mkdirSync(join(state, 'sock', 'busy'), { recursive: true });
    paths.socket = join(state, 'sock'); // rmSync without `recursive` throws on a directory, as on a read-only mount
    expect(() => c.stop()).not.toThrow();
    expect(lines.filter((l) => l.includes(paths.socket))).toHaveLength(1);
    const r = HistoryReader.open(paths.current);
    expect(r.checkpoints().map((k) => k.label)).toEqual(['last']);
    r.close();
  });
});
