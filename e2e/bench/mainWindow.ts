/**
 * The main window at 128 nodes: main-thread cost of one update round (every node's new
 * view, as the cluster sends them once a second) in Chromium, from a trace, against a plain
 * table of 128 rows updated by direct DOM writes from the same messages in the same run.
 * Run: npm run bench -- --only mainwindow [--minutes N] (or node build/build.mjs && npx tsx e2e/bench/mainWindow.ts)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startHeadlessServer } from '../../electron/headless/headlessServer.js';
import type { ApiService } from '../../electron/core/clusterTypes.js';
import { tickedViews, VIEW_TICK_MS } from '../../electron/core/viewBatch.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { NodeView } from '../../shared/domain/node.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { machine, machineLine, median } from './report.js';
import { COST_KINDS, percentile, roundCosts, type RoundCost, type TraceEvent } from './traceCost.js';

export const NODES = 128;
const MARK = 'mv-round';
const BLOCK_ROUNDS = 20;
/** MV_RENDERER_DIR: another build's renderer (e.g. an older commit's dist/renderer) measured the same way. */
const RENDERER_DIR = process.env.MV_RENDERER_DIR ?? 'dist/renderer';
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];

/** 128 nodes of changing figures: slow load waves with noise and bursts, drifting memory; the same sequence every run. */
export function simulatedCluster() {
  let seed = 4242;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const load = new Array<number>(NODES).fill(0.5);
  const avail = Array.from({ length: NODES }, () => 2_000_000 + rnd() * 10_000_000);
  let s = 0;
  const view = (i: number, t: number): NodeView => ({
    id: i + 1, host: `node${i + 1}.cluster`, status: 'up',
    sample: {
      t, hostname: `node${i + 1}`, cpus: 4 << (i % 3), demand: load[i]!, load: load[i]!, util: Math.min(100, load[i]! * 25),
      mem: { totalKb: 16_000_000, freeKb: Math.round(avail[i]! / 2), availableKb: Math.round(avail[i]!) }, speed: 10_000 + i * 100, procCount: 100 + i,
    },
  });
  return {
    views: (t: number) => Array.from({ length: NODES }, (_, i) => view(i, t)),
    /** One second on: every node's figures move. */
    step(): void {
      s++;
      for (let i = 0; i < NODES; i++) {
        const demand = Math.max(0, 2 * (1 + Math.sin(s / 30 + i)) + (rnd() < 0.02 ? 8 : 0) + (rnd() - 0.5) * 0.6);
        load[i] = demand >= load[i]! ? demand : (7 * load[i]! + demand) / 8;
        avail[i] = Math.min(15_000_000, Math.max(500_000, avail[i]! + (rnd() - 0.5) * 400_000));
      }
    },
  };
}

/**
 * The API as the headless server serves it, with the simulated cluster behind it instead of 128 SSH sessions;
 * its node views go out as ClusterService sends them, gathered per tick (electron/core/viewBatch.ts).
 */
function simulatedService(cluster: ReturnType<typeof simulatedCluster>) {
  const listeners = new Set<(event: string, data: unknown) => void>();
  const ticked = tickedViews((views) => listeners.forEach((l) => l('cluster.views', { views })));
  const service = {
    start() {},
    stop() {
      ticked.stop();
    },
    subscribe(cb: (event: string, data: unknown) => void) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async dispatch(channel: unknown): Promise<unknown> {
      if (channel === 'cluster.get' || channel === 'cluster.refresh') return { name: 'bench128', source: 'profile', nodes: cluster.views(Date.now()), hostKeyPrompts: [] };
      throw new RpcError('EFAIL', `${String(channel)} is not part of this benchmark`);
    },
  };
  return { service: service as unknown as ApiService, emit: (views: NodeView[]) => views.forEach((v) => ticked.add(v)) };
}

/** The main window's row layout as it was before this benchmark (renderer/styles.css, 2026-11-29), fixed so the baseline does not move with the app. */
const BASELINE_CSS = `body { font: 13px system-ui, sans-serif; margin: 0; } main { padding: 8px 12px; }
table.nodes, table.nodes thead, table.nodes tbody { display: block; width: 100%; }
table.nodes tr { display: grid; grid-template-columns: 40px 260px 256px minmax(150px, 1fr) minmax(190px, 1fr) 52px; align-items: center; }
table.nodes td { padding: 3px 6px; min-width: 0; } table.nodes td.row-message:empty { display: none; }
.node-row:nth-child(odd) { background: #f4f4f4; }
.host-cell { display: flex; gap: 4px; } .host-button { flex: 0 1 190px; min-width: 0; text-align: left; font-family: monospace; }
.lamp { display: inline-flex; align-items: center; justify-content: center; width: 26px; height: 26px; border-radius: 50%; background: radial-gradient(circle at 35% 35%, #8f8, #0a0); }
.speed { display: inline-flex; align-items: center; gap: 6px; } .speed input { width: 160px; }
.lcd { display: inline-block; min-width: 74px; padding: 1px 4px; background: #102010; color: #6f6; font-family: monospace; white-space: pre; }
.bar { position: relative; width: 100%; height: 18px; background: #fff; border: 1px solid #999; overflow: hidden; }
.bar-fill { position: absolute; inset: 0 auto 0 0; background: #4a8; }
.bar-text { position: relative; font-size: 11px; padding-left: 4px; line-height: 16px; white-space: nowrap; }
.cpus { text-align: center; font-family: monospace; }`;

/** The baseline: a static table of 128 rows; each message writes its row's cells directly (no framework, no store). */
const BASELINE_PAGE = (wsUrl: string) => `<!doctype html><html><head><style>${BASELINE_CSS}</style></head><body>
<main class="main-window"><table class="nodes"><thead><tr><th>ID</th><th>Host</th><th>Speed</th><th>Load</th><th>Memory</th><th>CPUs</th></tr></thead>
<tbody id="rows"></tbody></table></main><script>
const rows = new Map();
const tb = document.getElementById('rows');
for (let id = 1; id <= ${NODES}; id++) {
  const tr = document.createElement('tr');
  tr.className = 'node-row node-up';
  tr.innerHTML = '<td><span class="lamp lamp-up" role="img">' + id + '</span></td><td class="host-cell"><button class="host-button">node' + id + '.cluster</button><button class="procs-button">procs</button></td>' +
    '<td><span class="speed"><input type="range" min="1000" max="20000"><output class="lcd"></output></span></td>' +
    '<td><div class="bar" role="progressbar"><div class="bar-fill"></div><span class="bar-text"></span></div></td>' +
    '<td><div class="bar" role="progressbar"><div class="bar-fill"></div><span class="bar-text"></span></div></td><td class="cpus"></td><td class="row-message"></td>';
  tb.appendChild(tr);
  const [load, mem] = tr.querySelectorAll('.bar');
  rows.set(id, { range: tr.querySelector('input'), lcd: tr.querySelector('output'), load, mem, cpus: tr.querySelector('.cpus') });
}
const bar = (el, pct, text) => {
  const p = Math.max(0, Math.min(100, pct));
  el.firstChild.style.width = p + '%';
  el.lastChild.textContent = text;
  el.setAttribute('aria-valuenow', String(Math.round(p)));
};
const ws = new WebSocket(${JSON.stringify(wsUrl)});
ws.onmessage = (m) => {
  const v = JSON.parse(m.data).data;
  const r = rows.get(v.id);
  const s = v.sample;
  const load = (100 * s.load) / s.cpus;
  const mem = (100 * (s.mem.totalKb - s.mem.availableKb)) / s.mem.totalKb;
  r.range.value = String(s.speed);
  r.lcd.textContent = String(s.speed).padStart(5, ' ');
  bar(r.load, load, Math.round(load) + '%');
  bar(r.mem, mem, Math.round(mem) + '% used, ' + (s.mem.availableKb / 1048576).toFixed(1) + ' GiB available');
  r.cpus.textContent = String(s.cpus);
};
</script></body></html>`;

async function startBaseline() {
  const clients = new Set<WebSocket>();
  const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws) => { clients.add(ws); ws.on('close', () => clients.delete(ws)); });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  const page = BASELINE_PAGE(`ws://127.0.0.1:${port}/`);
  return {
    url: `http://127.0.0.1:${port}/`,
    emit: (views: NodeView[]) => views.forEach((v) => { const line = JSON.stringify({ event: 'node.view', data: v }); clients.forEach((c) => c.send(line)); }),
    close: () => new Promise<void>((r) => { wss.close(); http.closeAllConnections(); http.close(() => r()); }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * BLOCK_ROUNDS rounds into `page`, one a second, traced: in each, node i's view is sent (i + 0.5)/128 of a
 * second after the round's start, as agents sampling at their own moments send them; a mark at each start bounds the round.
 */
async function tracedBlock(browser: Browser, page: Page, cluster: ReturnType<typeof simulatedCluster>, emit: (v: NodeView[]) => void): Promise<RoundCost[]> {
  await browser.startTracing(page, { categories: CATEGORIES });
  const t0 = Date.now() + 200;
  for (let k = 0; k <= BLOCK_ROUNDS; k++) {
    await sleep(t0 + k * 1000 - Date.now());
    void page.evaluate((m) => console.timeStamp(m), MARK);
    if (k === BLOCK_ROUNDS) break;
    cluster.step();
    const views = cluster.views(Date.now());
    for (let i = 0; i < NODES; i++) {
      await sleep(t0 + k * 1000 + ((i + 0.5) * 1000) / NODES - Date.now());
      emit([views[i]!]);
    }
  }
  await sleep(100);
  const buf = await browser.stopTracing();
  // MV_TRACE_DUMP=/tmp/x keeps each block's trace (for chrome://tracing or a closer look).
  if (process.env.MV_TRACE_DUMP) (await import('node:fs')).writeFileSync(`${process.env.MV_TRACE_DUMP}-${Date.now()}.json`, buf);
  const events = (JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  return roundCosts(events, MARK);
}

export interface MainWindowBench {
  rounds: number;
  app: RoundCost[];
  baseline: RoundCost[];
}

export async function benchMainWindow(minutes: number): Promise<MainWindowBench> {
  const cluster = simulatedCluster();
  const sim = simulatedService(cluster);
  const server = await startHeadlessServer(sim.service, { rendererDir: RENDERER_DIR });
  const baseline = await startBaseline();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const appPage = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    await appPage.goto(server.loginUrl());
    await appPage.getByRole('img', { name: `Node ${NODES} up`, exact: true }).waitFor({ timeout: 60_000 });
    const basePage = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    await basePage.goto(baseline.url);
    await basePage.waitForFunction(() => document.querySelectorAll('tr.node-row').length === 128);
    // Warm-up: both pages' code optimised before anything is counted.
    for (let i = 0; i < 5; i++) {
      cluster.step();
      sim.emit(cluster.views(Date.now()));
      baseline.emit(cluster.views(Date.now()));
      await sleep(1000);
    }
    // MV_SCREENSHOT=/tmp/main128.png: what the measured window looks like (1200x800), at the top and scrolled to the end.
    const shot = process.env.MV_SCREENSHOT;
    if (shot) {
      await appPage.screenshot({ path: shot });
      const size = await appPage.evaluate(() => { window.scrollTo(0, document.body.scrollHeight); return { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, scrollHeight: document.documentElement.scrollHeight }; });
      await appPage.screenshot({ path: shot.replace(/(\.png)?$/, '-end.png') });
      await appPage.evaluate(() => window.scrollTo(0, 0));
      process.stderr.write(`mainwindow: screenshots ${shot}, page ${JSON.stringify(size)}\n`);
    }
    const out: MainWindowBench = { rounds: 0, app: [], baseline: [] };
    const blocks = Math.max(1, Math.round((minutes * 60) / (2 * BLOCK_ROUNDS)));
    for (let b = 0; b < blocks; b++) {
      out.app.push(...(await tracedBlock(browser, appPage, cluster, sim.emit)));
      out.baseline.push(...(await tracedBlock(browser, basePage, cluster, baseline.emit)));
      process.stderr.write(`mainwindow: block ${b + 1}/${blocks}\n`);
    }
    out.rounds = out.app.length;
    return out;
  } finally {
    await browser.close();
    await baseline.close();
    await server.close();
    sim.service.stop();
  }
}

export const MAINWINDOW_TITLE = `The main window at ${NODES} nodes: one update`;

/** `--minutes N` of the command line (mainwindow's default 3; soak passes its own). */
export function minutesArg(argv: string[], fallback = 3): number {
  const i = argv.indexOf('--minutes');
  if (i < 0) return fallback;
  const m = Number(argv[i + 1]);
  if (!(m > 0)) throw new Error(`--minutes needs a positive number (got "${argv[i + 1] ?? ''}")`);
  return m;
}

const f1 = (x: number) => x.toFixed(1);

export function mainWindowSection(r: MainWindowBench, m = machine()): string {
  const line = (xs: RoundCost[], pick: (c: RoundCost) => number) => {
    const v = xs.map(pick);
    return `${f1(median(v))} / ${f1(percentile(v, 95))}`;
  };
  const rows = ([...COST_KINDS, 'total'] as const).map((k) => {
    const a = r.app.map((c) => c[k]);
    const b = r.baseline.map((c) => c[k]);
    return `| ${k === 'total' ? '**all main-thread tasks**' : k} | ${line(r.app, (c) => c[k])} | ${line(r.baseline, (c) => c[k])} | ${(median(a) / median(b)).toFixed(2)}x / ${(percentile(a, 95) / percentile(b, 95)).toFixed(2)}x |`;
  });
  const p95 = percentile(r.app.map((c) => c.total), 95);
  return [
    `**Measured:** the main window of the built renderer (dist/renderer: the real WebSocket bridge, store and rows) in Chromium`,
    `(1200x800, software rendering, the project's Chromium args), served by the real headless server (\`startHeadlessServer\`)`,
    `whose API has a simulated ${NODES}-node cluster behind it instead of ${NODES} SSH sessions: every second each node's new view`,
    `(load waves with noise and 2% bursts, drifting memory) is handed over, node i at (i + 0.5)/${NODES} of the second, as agents`,
    `sampling at 1 Hz each at its own moment send them, and goes to the page as the main process sends it: gathered per ${VIEW_TICK_MS} ms tick`,
    '(electron/core/viewBatch.ts, as ClusterService uses it), one `cluster.views` message per tick with the nodes that reported in it.',
    'One *update* is one such second of 128 views. A Chromium trace',
    '(devtools.timeline) of the page\'s renderer main thread, cut into seconds by a `console.timeStamp` at each start, gives per',
    'update the main thread\'s CPU time (thread time, not wall time: the machine is shared) as self time of scripting (incl. GC),',
    'style, layout (also when forced from a script) and paint (main-thread paint and compositing; raster is off that thread), and',
    `all its tasks together. ${r.rounds} updates each, traced in blocks of ${BLOCK_ROUNDS} alternating with the baseline, after 5 untimed ones.`,
    '',
    `**Baseline:** the same ${NODES} views at the same moments, over a WebSocket of the same browser, into a plain static table of`,
    `${NODES} rows with the same cells and the row layout of the window's stylesheet as it was before (fixed in the benchmark),`,
    'written by direct DOM writes as each message arrives (no framework, no store). The baseline is kept as it was: it still gets',
    'one WebSocket message per node view (128 a second), so the main window\'s batching is part of what the ratio shows.',
    '',
    machineLine(m),
    '',
    '| main-thread CPU ms per update (p50 / p95) | main window | baseline | main / baseline (p50 / p95) |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `Goal: p95 under 16 ms per update: ${p95 < 16 ? 'met' : 'not met'} here (${f1(p95)} ms).`,
    '',
    '*Before*, in earlier runs of this benchmark (their baselines: 1.03x / 1.06x, then 0.33x / 0.36x, then 0.09x / 0.12x):',
    '- the renderer of commit 78e9483 (2026-11-29 16:20 UTC, load average 10.2: every view applied and rendered as it arrived, every',
    '  row re-rendered on each new view of its node): all main-thread tasks 457.6 / 615.7 ms per update; script 71.8 / 101.3,',
    '  style 6.8 / 9.1, layout 30.1 / 44.2, paint 247.3 / 382.7;',
    '- the renderer of 16:33 UTC (load average 6.3), with `.bar { contain: strict }` (fd11309 made it `layout paint`; views applied together at',
    '  most every 250 ms in a frame, renderer/store/wireCluster.ts; a row re-rendered only when a figure it shows changed,',
    '  renderer/routes/main/rowFigures.ts): 181.7 / 230.7 ms; script 38.3 / 54.0, style 4.3 / 5.9, layout 12.7 / 34.9, paint 59.6 / 89.6.',
    '  About half of that was the 128 WebSocket messages a second, each its own task (receive, parse, dispatch);',
    '- the renderer of commit 53a9413 (19:15 UTC, load average 3.0: one `cluster.views` message per 250 ms tick with only the views that',
    '  changed, electron/core/viewBatch.ts; what came in applied in one store update per frame; rows out of sight `content-visibility: auto`):',
    '  55.4 / 83.9 ms; script 17.6 / 30.9, style 1.5 / 2.2, layout 6.0 / 16.8, paint 15.2 / 22.3.',
    '',
    '*Now* (same tick, same frames: a figure is at most one tick late), where that time went and what changed, from the traces',
    '(21:37-22:30 UTC, load average 9-15, one or two blocks per variant alternating in one browser):',
    '- script: every store update ran all 128 rows\' selectors, each building the row\'s figures and comparing them with',
    '  zustand\'s `shallow` (two Maps per compare), and the window re-rendered with the balance under the rows (128 row elements',
    '  compared). Now each row\'s figures are kept per node (renderer/store/nodeFigures.ts): an update recomputes only the nodes whose',
    '  view changed and wakes only the rows whose figures changed; the row\'s cells whose figures did not change are memoised; the',
    '  all-nodes row is its own component (renderer/routes/main/AllNodesRow.tsx). Script 20.5 -> 13.9 ms p50 (one block each, 21:40 and 21:50 UTC), JS',
    '  self time in a sampled profile less than half;',
    '- layout: each update laid out the document from the root (3-15 ms a frame: 150-400 dirty objects; rows within about',
    '  1.5 viewports of the window are not skipped by `content-visibility: auto`). A bar is now one element whose background',
    '  fills up to `--bar-to` (no fill div, no text span): a new figure restyles and repaints it and lays out its text alone.',
    '  Layout 12.2 -> 5.3 ms p50, all main-thread tasks 56.8 / 105.3 -> 43.8 / 58.9 ms (p50 / p95) in one run of 20 updates each;',
    '- what is left is mostly paid per frame (4 a second, one per tick): paint, layerize and pre-paint of the rows in and near',
    '  the window, the hover hit test after a layout, `content-visibility`\'s intersection check, task overhead, and per message',
    '  its receive and parse (about 1 ms). A 1 s tick would halve it (measured earlier: 37.6 / 59.4 against 81.7 / 106.9 ms) but',
    '  rows would then be up to a second behind their sample.',
    '',
    'The run of 22:46 UTC that first wrote this table with these changes (load average 3.9) had a baseline 13-24% slower than the',
    'run of 19:15 (669.0 / 845.8 ms): the window 56.0 / 81.8 ms (0.08x / 0.10x of it, before 0.09x / 0.12x); script 13.7 / 19.5,',
    'style 4.1 / 6.8 (up from 1.5 / 2.2: each changed bar is restyled for its new `--bar-to`), layout 6.6 / 18.1, paint 15.4 / 24.9.',
    '',
    'The run of 2026-11-30 00:07 UTC (`--minutes 1`: 40 updates each; load average 1.7) is the first on the tree with the Disk / Network column in every row (the simulated views carry no rates, so the column shows "-"): the window 72.3 / 89.4 ms against a baseline of 837.7 / 896.5 (0.09x / 0.10x).',
    '',
    '*Since 2026-11-30 06:00 UTC* (the table above: the tree with all of these), from one run of several renderers side by side in one',
    'browser (05:33 UTC, load average 10.2, 40 updates each, ms per update p50 / p95): main as it was at 250 ms ticks 58.0 / 77.1;',
    'bars `contain: strict` (a bar is its own layout root: a new figure lays out that bar, not the document from its root) and rows',
    'out of sight not re-rendered (one IntersectionObserver, renderer/routes/main/rowInSight.ts; `content-visibility` keeps ~35 rows',
    'beyond the window drawn) 39.0 / 60.4; the same at a 500 ms tick 26.5 / 41.1, at a 1000 ms tick 20.6 / 29.0. The tick is now 1 s',
    '(electron/core/viewBatch.ts): each node samples once a second, so a row is at most one sample behind and draws one frame a',
    'second instead of four. A row out of sight is still told of a new status or its first figures at once and of new figures on',
    'its own second of every 5 (renderer/routes/main/rowFigures.ts: a screen reader reads them; frozen rows had read old figures),',
    'about 20 rows of 128 a second more than frozen rows: this run\'s 34.5 / 50.9 ms includes them (not measured side by side).',
    'A fill drawn the whole bar wide and masked past the value measured worse (paint 12.3 / 20.1 against 10.5 / 14.8) and was dropped.',
    '',
    'Reproduce: `npm run bench -- --only mainwindow` (3 minutes; `--minutes N` for a shorter or longer run), or',
    '`node build/build.mjs && npx tsx e2e/bench/mainWindow.ts --minutes N` to print the table only; `MV_RENDERER_DIR=DIR` measures',
    'another build\'s renderer (one that listens for `cluster.views`: older ones took a `node.view` per node), `MV_TRACE_DUMP=/tmp/t` keeps the traces,',
    '`MV_SCREENSHOT=/tmp/main128.png` saves the window at the top and scrolled to the end.',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const m = machine();
  const r = await benchMainWindow(minutesArg(process.argv.slice(2)));
  console.log(mainWindowSection(r, m));
}
