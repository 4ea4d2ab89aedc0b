/**
 * A/B of the Load history window on the history benchmark's day of 64 nodes: this checkout's
 * build and others' (worktrees of the base, built), alternated in one run, the order turned
 * every round, each round a fresh GUI of each opening the window twice by its button
 * (historyWindow.ts, the benchmark's own measurement). On a shared 2-core machine one first open
 * is one sample: compare medians of many rounds, never two single runs.
 * Run (under the e2e lock, all built): npx tsx e2e/bench/historyAB.ts ../base [../other ...] [--rounds N]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HistoryWriter } from '../../agent/collector/store/historyWriter.js';
import { collectorPaths } from '../../agent/collector/config.js';
import { statePaths } from '../../agent/stateDir.js';
import { day, SECONDS } from './history.js';
import { medianOf, windowToChart, type WindowRun } from './historyWindow.js';

const NODES = 64;

/** The benchmark's day, written as its collector writes it (no fsync). */
function writeDay(): string {
  const stateDir = mkdtempSync(join(tmpdir(), 'mvbench-histab-'));
  writeFileSync(join(stateDir, 'speed.json'), JSON.stringify({ calibrated: 10000 }) + '\n');
  const paths = collectorPaths(statePaths({ MOSIXVIEW_STATE_DIR: stateDir }));
  const start = Date.now() - SECONDS * 1000;
  const w = HistoryWriter.open(paths.current, 'bench', start, { sync: false });
  let first = true;
  for (const r of day(start)) {
    if (first) w.writeNodes({ t: start, nodes: r.nodes.map((n) => ({ id: n.id, host: `node${n.id}` })) });
    first = false;
    w.writeSamples(r);
    w.flush();
  }
  w.close();
  return stateDir;
}

const f0 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(0));
const line = (r: WindowRun | null) => (r ? `${f0(r.total)} (page ${f0(r.pageLoad)}, round trip ${f0(r.roundTrip)}, parse ${f0(r.parse)}, draw ${f0(r.draw)})` : 'timeout');

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt < 0 ? 6 : Number(args.splice(roundsAt, 2)[1]);
/** This checkout first, then the others named. */
const builds = ['.', ...args].map((d) => resolve(d));
const runs = builds.map(() => ({ first: [] as (WindowRun | null)[], again: [] as (WindowRun | null)[] }));
const stateDir = writeDay();
try {
  for (let i = 0; i < rounds; i++) {
    // Each build first in turn: none is always the one after a fresh store or a busy neighbour.
    const order = builds.map((_, k) => (k + i) % builds.length);
    for (const k of order) {
      const [first = null, again = null] = await windowToChart(stateDir, NODES, 2, false, 'button', builds[k]);
      runs[k]!.first.push(first);
      runs[k]!.again.push(again);
      console.log(`round ${i + 1} ${builds[k]}: first ${line(first)}; again ${line(again)}`);
    }
  }
} finally {
  rmSync(stateDir, { recursive: true, force: true });
}
builds.forEach((b, k) => {
  const med = (rs: (WindowRun | null)[], key: keyof WindowRun) => f0(medianOf(rs.map((r) => r?.[key] ?? null)));
  const { first, again } = runs[k]!;
  console.log(`${b}: first open median ${med(first, 'total')} ms (runs ${first.map((r) => f0(r?.total)).join(', ')}; page ${med(first, 'pageLoad')}, round trip ${med(first, 'roundTrip')}, parse ${med(first, 'parse')}, draw ${med(first, 'draw')}), opened again ${med(again, 'total')} ms (runs ${again.map((r) => f0(r?.total)).join(', ')})`);
});
