/**
 * The main window at 128 nodes: main-thread cost of one update round (every node's new
 * view, as the cluster sends them once a second) in Chromium, from a trace, against a plain
 * table of 128 rows updated by direct DOM writes from the same messages in the same run.
 * Run: npm run bench -- --only mainwindow [--minutes N] (or node build/build.mjs && npx tsx e2e/bench/mainWindowReport.ts)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startHeadlessServer } from '../../electron/headless/headlessServer.js';
import type { ApiService } from '../../electron/core/clusterTypes.js';
import { tickedViews } from '../../electron/core/viewBatch.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { NodeView } from '../../shared/domain/node.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { roundCosts, type RoundCost, type TraceEvent } from './traceCost.js';

export const NODES = 128;
const MARK = 'mv-round';
export const BLOCK_ROUNDS = 20;
/**
 * Untimed updates after the pages load. V8's memory reducer shrinks a fresh page's heap by full collections
 * some 30 and 38 s after it loaded (traces of 2026-11-30: 4-13 ms each, mostly tracing the DOM): with 5
 * untimed updates they could fall in the window's first block, a one-off of its first minute counted in the p95.
 */
export const WARMUP_ROUNDS = 45;
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
    // Warm-up: both pages' code optimised, and the first collections of V8's memory reducer over (WARMUP_ROUNDS), before anything is counted.
    for (let i = 0; i < WARMUP_ROUNDS; i++) {
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

/** `--minutes N` of the command line (mainwindow's default 3; soak passes its own). */
export function minutesArg(argv: string[], fallback = 3): number {
  const i = argv.indexOf('--minutes');
  if (i < 0) return fallback;
  const m = Number(argv[i + 1]);
  if (!(m > 0)) throw new Error(`--minutes needs a positive number (got "${argv[i + 1] ?? ''}")`);
  return m;
}
