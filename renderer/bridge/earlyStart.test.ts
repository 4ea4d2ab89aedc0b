// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistorySeries } from '../../shared/protocol/agentHistory.js';
import type { InvokeReply, PreloadBridge } from '../../shared/protocol/preloadBridge.js';
import { plotWidthFor } from '../../shared/history/grid.js';
import { IO_WINDOW, LOAD_WINDOW, MEM_WINDOW, metricsOf } from '../history/windowSpecs.js';
import { adoptEarly, EARLY_METRICS, startEarly, takeArrivedSeries, takeEarlySeries } from './earlyStart.js';

/** A window as boot.js sees it: its route, its width, and the Electron preload (answers held until `answer`). */
function page(hash: string) {
  const asked: { channel: string; req: unknown }[] = [];
  let answer!: (r: InvokeReply) => void;
  const mosixview: PreloadBridge = {
    invoke: (channel, req) => {
      asked.push({ channel, req });
      return new Promise((r) => (answer = r));
    },
    on: () => () => undefined,
  };
  const win = { location: { hash }, innerWidth: 1000, mosixview } as unknown as Window;
  return { win, asked, answer: (r: InvokeReply) => answer(r) };
}

const firstRead = { recorded: true as const, buckets: plotWidthFor(1000) };
const series = { from: 0, to: 1, buckets: 900, nodes: [] } as unknown as HistorySeries;

afterEach(() => {
  vi.unstubAllGlobals();
  delete window.mosixviewEarly;
});

describe('boot.js, before app.js runs', () => {
  it('sends a metric history window\'s first read at once, as the window asks it', () => {
    for (const [route, metrics] of [['history/load', ['load']], ['history/mem', ['mem', 'rmem', 'tmem']], ['history/io', ['diskRead', 'diskWrite', 'netRx', 'netTx']]] as const) {
      const p = page(`#/${route}`);
      startEarly(p.win);
      expect(p.asked).toEqual([{ channel: 'history.series', req: { recorded: true, buckets: plotWidthFor(1000), metrics } }]);
    }
  });

  it('asks nothing for the other windows', () => {
    for (const route of ['', '#/', '#/node/3', '#/history/procs', '#/history/average/load/1', '#/history/nothing']) {
      const p = page(route);
      startEarly(p.win);
      expect(p.asked).toEqual([]);
    }
  });

  it('asks for the metrics the windows draw', () => {
    expect(EARLY_METRICS.loadHistory).toEqual(metricsOf(LOAD_WINDOW));
    expect(EARLY_METRICS.memHistory).toEqual(metricsOf(MEM_WINDOW));
    expect(EARLY_METRICS.ioHistory).toEqual(metricsOf(IO_WINDOW));
  });
});

describe('app.js, taking over what boot.js started', () => {
  it('takes the answer once, for that very request only', async () => {
    const p = page('#/history/load');
    startEarly(p.win);
    expect(takeEarlySeries(p.win, { ...firstRead, buckets: 800, metrics: ['load'] })).toBeUndefined();
    expect(takeEarlySeries(p.win, { ...firstRead, metrics: ['mem'] })).toBeUndefined();
    expect(takeEarlySeries(p.win, { ...firstRead, backup: 'b', metrics: ['load'] })).toBeUndefined();
    expect(takeEarlySeries(p.win, { from: 0, to: 1, buckets: firstRead.buckets, metrics: ['load'] })).toBeUndefined();
    const taken = takeEarlySeries(p.win, { ...firstRead, metrics: ['load'] });
    expect(takeEarlySeries(p.win, { ...firstRead, metrics: ['load'] })).toBeUndefined();
    p.answer({ ok: true, value: series });
    await expect(taken).resolves.toBe(series);
  });

  it('takes it in the first render only once it has arrived', async () => {
    const p = page('#/history/load');
    startEarly(p.win);
    expect(takeArrivedSeries(p.win, { ...firstRead, metrics: ['load'] })).toBeUndefined();
    p.answer({ ok: true, value: series });
    await Promise.resolve();
    await Promise.resolve();
    expect(takeArrivedSeries(p.win, { ...firstRead, metrics: ['load'] })).toBe(series);
    expect(takeEarlySeries(p.win, { ...firstRead, metrics: ['load'] })).toBeUndefined();
  });

  it('adopts the WebSocket boot.js opened, and hears what became of it before', () => {
    const sockets: { sent: string[]; onopen?: () => void; onclose?: () => void }[] = [];
    vi.stubGlobal('WebSocket', class {
      static OPEN = 1;
      readyState = 0;
      sent: string[] = [];
      onopen?: () => void;
      onclose?: () => void;
      constructor() {
        sockets.push(this);
      }
      send(line: string) {
        this.sent.push(line);
      }
    });
    location.hash = '#/history/load';
    const early = startEarly(window);
    const socket = sockets[0]! as unknown as { readyState: number; sent: string[]; onopen: () => void };
    socket.readyState = 1;
    socket.onopen();
    expect(socket.sent.map((l) => JSON.parse(l).method)).toEqual(['history.series']);
    const told: string[] = [];
    expect(adoptEarly(window, (state) => told.push(state))).toBe(early.bridge);
    expect(told).toEqual(['open']);
    expect(sockets).toHaveLength(1);
  });

  it('is no help without boot.js: app.js opens its own', () => {
    expect(adoptEarly(window, () => undefined)).toBeUndefined();
  });
});
