/**
 * What a window starts before app.js runs (renderer/boot.ts, its own small script in the page's
 * head): the connection to the main process and, in a metric history window, its first
 * request. A new window's app.js (every window's code, ~390 kB) arrived, compiled and ran
 * before the WebSocket was even opened, and the window asked for its columns only then; the
 * answer's round trip came after all of it (docs/BENCHMARKS.md, "History store"). Now the
 * request is on its way while app.js loads, and app.js adopts the connection and takes the
 * answer (getBridge, takeEarlySeries). Without boot.js (tests, an old page) app.js does both itself.
 */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { HistoryMetric, HistorySeries, HistorySeriesRequest } from '../../shared/protocol/agentHistory.js';
import type { PreloadBridge } from '../../shared/protocol/preloadBridge.js';
import { plotWidthFor } from '../../shared/history/grid.js';
import { parseRoute, type BadRoute, type Route } from '../../shared/windows.js';
import { bridgeOverPreload } from './preloadBridge.js';
import { createWsBridge } from './wsBridge.js';

type ConnectionState = 'open' | 'lost';
type OnConnection = (state: ConnectionState, why?: string) => void;

interface EarlySeries {
  buckets: number;
  metrics: HistoryMetric[];
  answer: Promise<HistorySeries>;
  /** The answer, once it arrived. */
  value?: HistorySeries;
}

/** Handed from boot.js to app.js on the window. */
export interface EarlyStart {
  bridge: MosixviewBridge;
  /** The connection's last change before app.js listened, told to it when it does. */
  connection?: { state: ConnectionState; why?: string };
  onConnection?: OnConnection;
  /** A metric history window's first read: its recorded range on a column per pixel, as useSeries asks it. */
  series?: EarlySeries;
}

declare global {
  interface Window {
    /** The Electron preload's bridge (absent in a browser, headless mode). */
    mosixview?: PreloadBridge;
    mosixviewEarly?: EarlyStart;
  }
}

/** The metrics each metric history window reads (its charts' metrics: windowSpecs.ts metricsOf, kept equal by a test). */
export const EARLY_METRICS: Partial<Record<(Route | BadRoute)['kind'], HistoryMetric[]>> = {
  loadHistory: ['load'],
  memHistory: ['mem', 'rmem', 'tmem'],
  ioHistory: ['diskRead', 'diskWrite', 'netRx', 'netTx'],
};

/** boot.js: opens the connection and sends a metric history window's first request; app.js takes both over. */
export function startEarly(win: Window): EarlyStart {
  const early: EarlyStart = {
    bridge: win.mosixview
      ? bridgeOverPreload(win.mosixview)
      : createWsBridge((state, why) => {
        early.connection = { state, ...(why !== undefined ? { why } : {}) };
        early.onConnection?.(state, why);
      }),
  };
  if (win.mosixview) early.connection = { state: 'open' };
  const metrics = EARLY_METRICS[parseRoute(win.location.hash).kind];
  if (metrics) {
    const buckets = plotWidthFor(win.innerWidth);
    const series: EarlySeries = { buckets, metrics, answer: early.bridge.invoke('history.series', { recorded: true, buckets, metrics }) };
    // Not taken (another width by then) or failed: the window asks again itself and hears why.
    series.answer.then((v) => (series.value = v), () => undefined);
    early.series = series;
  }
  win.mosixviewEarly = early;
  return early;
}

/** app.js: the connection boot.js opened, now telling `onConnection` (what happened before, at once); undefined without boot.js. */
export function adoptEarly(win: Window, onConnection: OnConnection): MosixviewBridge | undefined {
  const early = win.mosixviewEarly;
  if (!early) return undefined;
  early.onConnection = onConnection;
  if (early.connection) onConnection(early.connection.state, early.connection.why);
  return early.bridge;
}

/** The answer boot.js asked for, once, if `req` is that very request (a window's first read); else undefined. */
export function takeEarlySeries(win: Window, req: HistorySeriesRequest): Promise<HistorySeries> | undefined {
  return take(win, req)?.answer;
}

/**
 * The same, only if it has arrived already (as it has when app.js took longer than the answer):
 * then the window's first render draws it, with no render waiting for it in between.
 */
export function takeArrivedSeries(win: Window, req: HistorySeriesRequest): HistorySeries | undefined {
  return take(win, req, true)?.value;
}

function take(win: Window, req: HistorySeriesRequest, arrived = false): EarlySeries | undefined {
  const s = win.mosixviewEarly?.series;
  const first = req.recorded === true && req.backup === undefined && req.since === undefined && req.from === undefined && req.to === undefined;
  if (!s || !first || req.buckets !== s.buckets || req.metrics.join() !== s.metrics.join() || (arrived && !s.value)) return undefined;
  win.mosixviewEarly!.series = undefined;
  return s;
}
