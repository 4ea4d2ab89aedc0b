/**
 * The history benchmark's end-to-end figure, split where the time goes: from the click on
 * Load history in the headless GUI's main window until the new window's chart canvas holds
 * every node's line. The page is watched from an init script (its WebSocket and JSON.parse), so
 * the app carries no benchmark code.
 */
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startHeadless } from '../support/app.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { routes, windowSizeOf } from '../../shared/windows.js';
import { windowFeatures } from '../../renderer/windows.js';

/** One opening of the window, in ms from window.open; null parts were not seen. */
export interface WindowRun {
  total: number;
  /** window.open until the page sent history.series: a new page and its first script (boot.js: the WebSocket and the request, before app.js arrives). */
  pageLoad: number | null;
  /** history.series sent until its answer arrived (the read the main process holds from the opener's history.prepare, else the agent's; -> WebSocket). */
  roundTrip: number | null;
  /** The answer's size as it crossed the WebSocket (characters of JSON). */
  answerChars: number | null;
  /** JSON.parse of the answer in the page. */
  parse: number | null;
  /** Parsed until the canvas held every line (seen by polling every 20 ms): app.js if the answer came first, React, the line geometry, drawing. */
  draw: number | null;
}

interface PageTimes {
  sent: number | null;
  got: number | null;
  chars: number | null;
  parseMs: number | null;
  parsed: number | null;
  clicked: number | null;
}

/**
 * Runs in every page of the context before its scripts; times are epoch ms (timeOrigin + now).
 * Plain JavaScript in a string: a function would be passed as its transpiled source, helpers and all.
 */
const WATCH_PAGE = `(() => {
  const T = (window.__benchTimes = { sent: null, got: null, chars: null, parseMs: null, parsed: null, clicked: null });
  const now = () => performance.timeOrigin + performance.now();
  // The opener's click, as the page sees it (before React's handler): where a run starts.
  window.addEventListener('click', () => { T.clicked = now(); }, true);
  let seriesId;
  const Ws = window.WebSocket;
  window.WebSocket = class extends Ws {
    constructor(url, protocols) {
      super(url, protocols);
      // Added before the bridge's onmessage, so it runs first: the arrival, before the parse.
      this.addEventListener('message', (m) => {
        const d = String(m.data);
        if (T.got === null && seriesId !== undefined && d.startsWith('{"id":' + seriesId + ',')) {
          T.got = now();
          T.chars = d.length;
        }
      });
    }
    send(d) {
      if (seriesId === undefined && typeof d === 'string' && d.includes('"method":"history.series"')) {
        seriesId = JSON.parse(d).id;
        T.sent = now();
      }
      super.send(d);
    }
  };
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    if (T.got === null || T.parsed !== null || typeof text !== 'string' || text.length < T.chars - 2) return parse.call(JSON, text, reviver);
    const a = performance.now();
    const v = parse.call(JSON, text, reviver);
    T.parseMs = performance.now() - a;
    T.parsed = now();
    return v;
  };
})();`;

const span = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);

function breakdown(t0: number, total: number, p: PageTimes): WindowRun {
  return {
    total, pageLoad: span(t0, p.sent), roundTrip: span(p.sent, p.got), answerChars: p.chars, parse: p.parseMs,
    draw: span(p.parsed, t0 + total),
  };
}

/**
 * How the window is opened: `button`, Load history in the main window, as the admin does (its
 * opener asks the agent to prepare the window's first read, renderer/history/openMetricWindow.ts);
 * `open`, window.open of the route alone, the same size, without that head start.
 */
export type OpenedBy = 'button' | 'open';

/**
 * Opens Load history `runs` times on the store in stateDir; null: no drawn chart within the
 * timeout (a busy machine). `untilTimeout`: the first timeout ends the runs (the store without
 * summaries, which has not drawn within it: three tries would hold the shared machine 9 minutes).
 * `appDir`: the checkout whose build runs (historyAB.ts compares two).
 */
export async function windowToChart(stateDir: string, nodes: number, runs: number, untilTimeout = false, by: OpenedBy = 'button', appDir = '.'): Promise<(WindowRun | null)[]> {
  const server = await startHeadless([], { MOSIXVIEW_STATE_DIR: stateDir, MOSIXVIEW_CONFIG_DIR: join(stateDir, 'config') }, appDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    // The context's viewport sizes every page of it, the new windows too, whatever window.open asks: the size the app asks for
    // Load history (shared/windows.ts), as a desktop window gets it. Without a viewport the new windows drew at a background pace.
    const ctx = await browser.newContext({ viewport: windowSizeOf(routes.loadHistory()) });
    await ctx.addInitScript(WATCH_PAGE);
    const page = await ctx.newPage();
    await page.goto(server.url);
    const up = await page.getByRole('img', { name: 'Node 1 up', exact: true }).waitFor({ timeout: 120_000 }).then(() => true, () => false);
    if (!up) return new Array<null>(runs).fill(null); // the GUI never came up: no window figures this run
    const out: (WindowRun | null)[] = [];
    for (let i = 0; i < runs; i++) {
      // t0 is the page's own time of the click (or of window.open): Playwright's click checks the button before it clicks.
      const asked = Date.now();
      const [popup] = await Promise.all([
        ctx.waitForEvent('page'),
        by === 'open'
          ? page.evaluate(([route, features]) => window.open(`${location.pathname}${location.search}#/${route}`, '_blank', features), [routes.loadHistory(), windowFeatures(routes.loadHistory())] as const)
          : page.getByRole('button', { name: 'Load history', exact: true }).click(),
      ]);
      const t0 = by === 'open' ? asked : ((await page.evaluate(() => (window as unknown as { __benchTimes: PageTimes }).__benchTimes.clicked)) ?? asked);
      try {
        // Drawn: the chart's canvas holds every node's line (HistoryChart sets data-drawn-nodes after drawing), with the time ticks beside it.
        await popup.waitForFunction((n) => document.querySelector(`[aria-label="Load"] .chart-box[data-drawn-nodes="${n}"]`) !== null &&
          document.querySelector('[aria-label="Load"] .time-tick') !== null, nodes, { timeout: 180_000, polling: 20 });
        const total = Date.now() - t0;
        out.push(breakdown(t0, total, await popup.evaluate(() => (window as unknown as { __benchTimes: PageTimes }).__benchTimes)));
      } catch {
        out.push(null);
      }
      await popup.close();
      if (untilTimeout && out.at(-1) === null) break;
    }
    return out;
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
}

const f0 = (x: number) => x.toFixed(0);
export const medianOf = (xs: (number | null)[]): number | null => {
  const ok = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (!ok.length) return null;
  const m = ok.length >> 1;
  return ok.length % 2 ? ok[m]! : (ok[m - 1]! + ok[m]!) / 2;
};
const ms = (x: number | null) => (x === null ? 'not seen' : `${f0(x)} ms`);

/**
 * The section's rows for the window: the first open (the agent reads the day) and the opens after it (the agent's
 * kept read, agent/history/seriesCache.ts: only what is new since), each with where its time went; a median over
 * both would show the second kind only.
 */
export function windowRows(after: (WindowRun | null)[], before: (WindowRun | null)[], agentReadMs: number, opened: (WindowRun | null)[] = [], firsts: (WindowRun | null)[] = after.slice(0, 1)): string[] {
  const [first, again] = [firsts, after.slice(1)];
  const total = (rs: (WindowRun | null)[]) => {
    const m = medianOf(rs.map((r) => r?.total ?? null));
    return `${m === null ? 'timeout' : `${f0(m)} ms`}${rs.length > 1 ? ` (runs: ${rs.map((r) => (r ? f0(r.total) : 'timeout')).join(', ')})` : ''}`;
  };
  const part = (rs: (WindowRun | null)[], k: keyof WindowRun) => medianOf(rs.filter((r): r is WindowRun => r !== null).map((r) => r[k]));
  const both = (k: keyof WindowRun) => `${ms(part(first, k))} / ${ms(part(again, k))}`;
  const chars = part(after, 'answerChars');
  return [
    `| open Load history to drawn chart, after: first open of a fresh GUI / opened again (the agent's kept read) | ${total(first)} / ${total(again)} | | |`,
    `| &nbsp;&nbsp;of it: the new page, until its first script (boot.js) asks \`history.series\` | ${both('pageLoad')} | | |`,
    `| &nbsp;&nbsp;of it: the request's round trip (the read the main process holds from the opener's history.prepare, else the agent's; -> WebSocket) | ${both('roundTrip')} | | |`,
    `| &nbsp;&nbsp;&nbsp;&nbsp;of that: the agent's read of the whole day (the same request in the benchmark's process, nothing kept) | ${ms(agentReadMs)} | | |`,
    `| &nbsp;&nbsp;of it: JSON.parse of the answer in the page (${chars === null ? '?' : `${f0(chars / 1000)} kB`}) | ${both('parse')} | | |`,
    `| &nbsp;&nbsp;of it: drawing (parsed until the canvas holds every line; app.js still loading when the answer came first) | ${both('draw')} | | |`,
    `| the same, opened by window.open alone (no history.prepare from the opener): first open / opened again | ${total(opened.slice(0, 1))} / ${total(opened.slice(1))} | | |`,
    `| &nbsp;&nbsp;of it: the new page / the request's round trip / drawing | ${opened.slice(0, 1).concat(opened.slice(1, 2)).map((r) => (r ? `${ms(r.pageLoad)} / ${ms(r.roundTrip)} / ${ms(r.draw)}` : 'timeout')).join(' and ')} | | |`,
    `| open Load history to drawn chart, before (mosix.sum moved aside; the agent's warming read as it started, every second decoded, already holds the answer): first open / opened again | ${total(before.slice(0, 1))} / ${total(before.slice(1))} | | |`,
  ];
}
