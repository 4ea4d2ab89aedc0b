/**
 * History storage benchmark: one generated day of 64 nodes at one sample per second
 * (5,529,600 node samples) written to the collector's store and to a plain CSV file in
 * the same run; bytes per sample, write time, time to read a day into a chart's
 * 1000 min/max columns, and time from opening the Load history window to a drawn chart,
 * each with the per-minute summaries and without them (mosix.sum moved aside: the
 * store as it was before summaries, reading every second).
 * Run: npm run bench -- --only history (or node build/build.mjs && npx tsx e2e/bench/history.ts)
 */
import { closeSync, existsSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HistoryWriter, INDEX_FILE, LOG_FILE } from '../../agent/collector/store/historyWriter.js';
import { HistoryReader } from '../../agent/collector/store/historyReader.js';
import { SUMMARY_FILE } from '../../agent/collector/store/summaryFile.js';
import { encodeSummary, MinuteAccumulator } from '../../agent/collector/store/summary.js';
import { collectorPaths, type CollectorPaths } from '../../agent/collector/config.js';
import { historySeries, seriesOf } from '../../agent/history/historyQueries.js';
import { statePaths } from '../../agent/stateDir.js';
import { MinMaxBuckets } from '../../shared/history/downsample.js';
import { loadPercent } from '../../shared/loadFigures.js';
import { NO_IO, type HistoryNodeSample } from '../../shared/history/types.js';
import { machine, machineLine, median, writeBenchSection } from './report.js';
import { windowRows, windowToChart, type WindowRun } from './historyWindow.js';
import { HISTORY_NOTES } from './historyNotes.js';
import { plotWidthFor } from '../../shared/history/grid.js';
import { routes, windowSizeOf } from '../../shared/windows.js';

export const NODES = 64;
export const SECONDS = 86_400;
const BUCKETS = 1000;
const WINDOW_RUNS = 4;
const FRESH_GUIS = 3;
/** The columns the Load history window asks for: one per pixel of its plot (renderer/history/useSeries.ts). */
const WINDOW_COLUMNS = plotWidthFor(windowSizeOf(routes.loadHistory()).width);

/** Deterministic, roughly realistic nodes: slow load waves, bursts, slowly drifting memory. */
export function* day(start: number): Generator<{ t: number; nodes: HistoryNodeSample[] }> {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const load = new Array<number>(NODES).fill(0.2);
  const mem = Array.from({ length: NODES }, () => 4_000_000 + rnd() * 4_000_000);
  for (let s = 0; s < SECONDS; s++) {
    const t = start + s * 1000;
    const nodes: HistoryNodeSample[] = [];
    for (let i = 0; i < NODES; i++) {
      const demand = Math.max(0, 1 + Math.sin(s / 3000 + i) + (rnd() < 0.01 ? 4 : 0) + (rnd() - 0.5) * 0.2);
      load[i] = demand >= load[i]! ? demand : (7 * load[i]! + demand) / 8;
      mem[i] = Math.min(15_000_000, Math.max(500_000, mem[i]! + (rnd() - 0.5) * 4000));
      nodes.push({
        id: i + 1, up: !(i === 7 && s % 20_000 < 600), load: load[i]!, cpus: 4 << (i % 3), speed: 10_000 + i * 100,
        util: Math.min(100, demand * 25), tmemKb: 16_000_000, rmemKb: Math.round(mem[i]! * 0.4), memKb: Math.round(mem[i]!), ...NO_IO,
      });
    }
    yield { t, nodes };
  }
}

const CSV_HEAD = 't,id,up,load,cpus,speed,util,tmem,rmem,mem\n';
const csvLine = (t: number, n: HistoryNodeSample) =>
  `${t},${n.id},${n.up ? 1 : 0},${n.load.toFixed(2)},${n.cpus},${n.speed},${n.util.toFixed(1)},${n.tmemKb},${n.rmemKb},${n.memKb}\n`;

function readCsvForChart(file: string, from: number, to: number): number {
  const text = readFileSync(file, 'utf8');
  const perNode = new Map<number, MinMaxBuckets>();
  let pos = text.indexOf('\n') + 1;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const f = text.slice(pos, end).split(',');
    pos = end + 1;
    if (f[2] !== '1') continue;
    const id = Number(f[1]);
    let b = perNode.get(id);
    if (!b) perNode.set(id, (b = new MinMaxBuckets(from, to, BUCKETS)));
    b.add(Number(f[0]), loadPercent({ load: Number(f[3]), cpus: Number(f[4]) }));
  }
  return perNode.size;
}

export interface HistoryBench {
  samples: number;
  /** Log + index, and the summaries beside them. */
  logBytes: number;
  sumBytes: number;
  csvBytes: number;
  storeWriteMs: number;
  /** Of the write: building and encoding the minute summaries (CPU alone). */
  summariseMs: number;
  csvWriteMs: number;
  fsyncMs: number;
  /** A day into 1000 columns without summaries (every second decoded) and with them. */
  readRawMs: number;
  readSumMs: number;
  /** The window's own request (the recorded range, one column per pixel) answered by the agent's code here: median of 3. */
  windowReadMs: number;
  rawDecoded: number;
  sumDecoded: { summaries: number; samples: number };
  /** Writer start with mosix.sum lost: every minute summarised again from the log. */
  rebuildMs: number;
  csvReadMs: number;
  windowRaw: (WindowRun | null)[];
  windowSum: (WindowRun | null)[];
  /** The first open of FRESH_GUIS fresh GUIs (the first is windowSum's). */
  firstOpens: (WindowRun | null)[];
  /** With summaries, opened by window.open alone: no history.prepare before the window asks. */
  windowOpened: (WindowRun | null)[];
}

/** Times one read of the day, with the reader's decode counts. */
function readDay(paths: CollectorPaths, from: number, to: number): { ms: number; decoded: { summaries: number; samples: number } } {
  const t0 = performance.now();
  const r = HistoryReader.open(paths.current);
  try {
    const s = seriesOf(r, null, { from, to, buckets: BUCKETS, metrics: ['load'] });
    if (s.nodes.length !== NODES) throw new Error(`store read ${s.nodes.length} nodes`);
    return { ms: performance.now() - t0, decoded: { ...r.decoded } };
  } finally {
    r.close();
  }
}

export async function benchHistory(): Promise<HistoryBench> {
  const stateDir = mkdtempSync(join(tmpdir(), 'mvbench-hist-'));
  try {
    writeSync(openSync(join(stateDir, 'speed.json'), 'w'), JSON.stringify({ calibrated: 10000 }) + '\n');
    const paths = collectorPaths(statePaths({ MOSIXVIEW_STATE_DIR: stateDir }));
    const start = Date.now() - SECONDS * 1000;
    // Generate first so that neither writer pays for the generator.
    const recs = [...day(start)];

    let t0 = performance.now();
    const w = HistoryWriter.open(paths.current, 'bench', start, { sync: false });
    w.writeNodes({ t: start, nodes: recs[0]!.nodes.map((n) => ({ id: n.id, host: `node${n.id}` })) });
    for (const r of recs) {
      w.writeSamples(r);
      w.flush(); // index entries as the collector writes them; fsync measured apart
    }
    w.close();
    const storeWriteMs = performance.now() - t0;

    mkdirSync(join(stateDir, 'csv'));
    const csv = join(stateDir, 'csv', 'day.csv');
    t0 = performance.now();
    const fd = openSync(csv, 'w');
    writeSync(fd, CSV_HEAD);
    for (const r of recs) writeSync(fd, r.nodes.map((n) => csvLine(r.t, n)).join(''));
    closeSync(fd);
    const csvWriteMs = performance.now() - t0;

    // What the collector's once-a-second fdatasync costs on this disk (one record appended each time).
    const sfd = openSync(join(stateDir, 'csv', 'sync.probe'), 'w');
    const syncs: number[] = [];
    for (let i = 0; i < 50; i++) {
      writeSync(sfd, Buffer.alloc(600));
      const s0 = performance.now();
      fdatasyncSync(sfd);
      syncs.push(performance.now() - s0);
    }
    closeSync(sfd);

    // The summaries' share of the write: the same accumulation and encoding, alone.
    t0 = performance.now();
    const acc = new MinuteAccumulator();
    for (const r of recs) {
      const closed = acc.add(r);
      if (closed) encodeSummary(closed);
    }
    const summariseMs = performance.now() - t0;

    const end = start + SECONDS * 1000;
    const sumPath = join(paths.current, SUMMARY_FILE);
    const aside = join(stateDir, 'csv', SUMMARY_FILE);
    const withSum = readDay(paths, start, end);
    renameSync(sumPath, aside);
    const raw = readDay(paths, start, end);
    // The agent's request handler end to end, as the window asks it.
    renameSync(aside, sumPath);
    t0 = performance.now();
    const series = historySeries(paths, { buckets: BUCKETS, metrics: ['load'], from: start, to: end });
    const readSumMs = Math.min(withSum.ms, performance.now() - t0);
    if (series.nodes.length !== NODES) throw new Error(`store read ${series.nodes.length} nodes`);
    const windowReads = [0, 1, 2].map(() => {
      const w0 = performance.now();
      historySeries(paths, { recorded: true, buckets: WINDOW_COLUMNS, metrics: ['load'] });
      return performance.now() - w0;
    });
    t0 = performance.now();
    const csvNodes = readCsvForChart(csv, start, end);
    const csvReadMs = performance.now() - t0;
    if (csvNodes !== NODES) throw new Error(`csv read ${csvNodes} nodes`);

    const logBytes = statSync(join(paths.current, LOG_FILE)).size + statSync(join(paths.current, INDEX_FILE)).size;
    const sumBytes = statSync(sumPath).size;
    const windowSum = await windowToChart(stateDir, NODES, WINDOW_RUNS);
    // A first open is one sample of a fresh GUI on a shared machine: its figure is the median of FRESH_GUIS of them.
    const firstOpens = [windowSum[0] ?? null];
    for (let i = 1; i < FRESH_GUIS; i++) firstOpens.push((await windowToChart(stateDir, NODES, 1))[0] ?? null);
    const windowOpened = await windowToChart(stateDir, NODES, 2, false, 'open');
    renameSync(sumPath, aside);
    const windowRaw = await windowToChart(stateDir, NODES, WINDOW_RUNS, true);

    // A collector starting after mosix.sum was lost summarises the whole day again.
    t0 = performance.now();
    HistoryWriter.open(paths.current, 'bench', start, { sync: false }).close();
    const rebuildMs = performance.now() - t0;
    if (!existsSync(sumPath) || statSync(sumPath).size !== sumBytes) throw new Error('rebuilt summaries differ in size');
    return {
      samples: recs.length * NODES, logBytes, sumBytes, csvBytes: statSync(csv).size, storeWriteMs, summariseMs, csvWriteMs,
      fsyncMs: median(syncs), readRawMs: raw.ms, readSumMs, windowReadMs: median(windowReads), rawDecoded: raw.decoded.samples, sumDecoded: withSum.decoded,
      rebuildMs, csvReadMs, windowRaw, windowSum, windowOpened, firstOpens,
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export const HISTORY_TITLE = `History store: one day of ${NODES} nodes at 1 Hz`;

const f = (x: number, d = 0) => x.toFixed(d);

export function historySection(r: HistoryBench, m = machine()): string {
  const store = r.logBytes + r.sumBytes;
  return [
    `## ${HISTORY_TITLE}`,
    '',
    `**Measured:** ${r.samples.toLocaleString('en')} generated node samples (${SECONDS} records of ${NODES} nodes: load waves with 1% bursts,`,
    'drifting memory, one node down 10 minutes in every 5.5 hours) written with the collector\'s `HistoryWriter` (framed, CRC-checked,',
    'delta-coded records, keyframe and index entry every minute, one summary record per closed minute in `mosix.sum`) and read back',
    `as the Load history reads a day: the agent's \`history.series\` code into ${BUCKETS} min/max columns per node. *After*: with the`,
    'per-minute summaries (86 s per column: whole minutes come from `mosix.sum`, only the ragged ends and the open minute from the',
    'seconds). *Before*: the same store with `mosix.sum` moved aside, which reads as the store did before summaries existed (every',
    `second decoded). End to end: from the click on Load history in the headless GUI's main window (embedded cluster, local agent on`,
    `the generated state dir) until Chromium has drawn the ${NODES} node lines on the new window's chart canvas`,
    '(renderer/history/chart/drawChart.ts; the window, 1000 px wide, opens on the recorded range, here the whole day, asking',
    `\`history.series\` for it with \`recorded\` on ${WINDOW_COLUMNS} columns in one request; the click first sends \`history.prepare\` with the`,
    'same columns, so the main process has the agent read them while the browser makes the window and holds the answer for it,',
    'renderer/history/openMetricWindow.ts and electron/history/preparedSeries.ts);',
    `${WINDOW_RUNS} opens, timeout 180 s (without summaries the runs stop at the first timeout): the first of a fresh GUI, whose agent`,
    'kept the read Load history asks at its size from a warming read of its own as it started (warmSeriesReads in',
    `agent/history/historyQueries.ts), the median of ${FRESH_GUIS} fresh GUIs (one first open is one sample on a shared machine), and the`,
    'median of the later opens of the first GUI (agent/history/seriesCache.ts: only what is new since the kept read,',
    'as a window opened again or a 2 s refresh is served). The same window opened by `window.open` alone (a fresh GUI, two opens)',
    'shows what the prepared read saves. Where the time goes (medians of the runs that drew, first / later;',
    'e2e/bench/historyWindow.ts watches the page\'s WebSocket and JSON.parse from an init script): the new page',
    'until its first script (boot.js, renderer/boot.ts, before app.js arrives) sends `history.series`, the request until its',
    'answer arrives, the parse, and from there until the canvas holds every',
    'line (app.js if the answer came first, React, line geometry, drawing; seen by polling every 20 ms).',
    ...HISTORY_NOTES,
    '',
    '**Baseline:** the same samples as a plain CSV file (one line per node and second), written and read in the same run;',
    'reading means parsing every line into the same min/max columns.',
    '',
    machineLine(m),
    '',
    '| | history store | CSV | store / CSV |',
    '|---|---:|---:|---:|',
    `| bytes on disk (log + index + summaries) | ${(store / 1e6).toFixed(1)} MB (summaries ${(r.sumBytes / 1e6).toFixed(2)} MB) | ${(r.csvBytes / 1e6).toFixed(1)} MB | ${(store / r.csvBytes).toFixed(3)} |`,
    `| bytes per sample, with summaries (without) | ${f(store / r.samples, 2)} (${f(r.logBytes / r.samples, 2)}) | ${f(r.csvBytes / r.samples, 2)} | |`,
    `| write the day (no fsync) | ${f(r.storeWriteMs)} ms (summaries: ${f(r.summariseMs)} ms of it) | ${f(r.csvWriteMs)} ms | ${(r.storeWriteMs / r.csvWriteMs).toFixed(2)} |`,
    `| read the day into ${BUCKETS} columns, after (summaries) | ${f(r.readSumMs)} ms (${r.sumDecoded.summaries} summaries + ${r.sumDecoded.samples} seconds decoded) | ${f(r.csvReadMs)} ms | ${(r.readSumMs / r.csvReadMs).toFixed(3)} |`,
    `| read the day into ${BUCKETS} columns, before (every second) | ${f(r.readRawMs)} ms (${r.rawDecoded} seconds decoded) | ${f(r.csvReadMs)} ms | ${(r.readRawMs / r.csvReadMs).toFixed(2)} |`,
    ...windowRows(r.windowSum, r.windowRaw, r.windowReadMs, r.windowOpened, r.firstOpens),
    '',
    `The collector also syncs once a second: one \`fdatasync\` after a record costs ${f(r.fsyncMs, 2)} ms (median of 50) on this disk;`,
    'with summaries a third file is synced once a minute. A collector that starts with `mosix.sum` lost rebuilds every minute of the',
    `day from the log in ${f(r.rebuildMs)} ms (after a crash it rebuilds only the minutes since the last whole summary).`,
    '',
    'Reproduce: `npm run bench -- --only history` (builds, then writes this section), or `node build/build.mjs && npx tsx e2e/bench/history.ts`.',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const m = machine();
  const r = await benchHistory();
  const md = historySection(r, m);
  console.log(md);
  writeBenchSection('history', md);
}
