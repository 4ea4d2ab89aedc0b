/**
 * Opening Mosixload, Mosixmem or the I/O history from the main window. A new window takes
 * about 100 ms before its first script (boot.js, renderer/bridge/earlyStart.ts) asks for its
 * columns; a day of 64 nodes read cold by the collector's agent took longer than that
 * (docs/BENCHMARKS.md, "History store"). So the opener says first what the window will ask (history.prepare: the recorded
 * range of the current history on the columns of the window's width); the main process has
 * the agent read it while the window is being made and holds the answer, and the window's own
 * first request takes it (electron/history/preparedSeries.ts).
 */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { windowSizeOf } from '../../shared/windows.js';
import { openWindow } from '../windows.js';
import { plotWidthFor } from '../../shared/history/grid.js';
import { metricsOf, type WindowSpec } from './windowSpecs.js';

export function openMetricWindow(bridge: MosixviewBridge, route: string, name: string, spec: WindowSpec): void {
  // Nothing depends on it: an agent without it, or without a history, only misses the head start.
  bridge.invoke('history.prepare', { buckets: plotWidthFor(windowSizeOf(route).width), metrics: metricsOf(spec) }).catch(() => undefined);
  openWindow(route, name);
}
