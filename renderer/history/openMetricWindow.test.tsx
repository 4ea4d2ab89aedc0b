// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { routes, windowSizeOf } from '../../shared/windows.js';
import { fakeBridge } from '../components/fakeBridge.test-util.js';
import { fakeHistoryAgent } from './fakeHistoryAgent.test-util.js';
import { openMetricWindow } from './openMetricWindow.js';
import { useSeries } from './useSeries.js';
import { IO_WINDOW, LOAD_WINDOW, MEM_WINDOW, metricsOf } from './windowSpecs.js';

const T0 = 1_764_386_901_000;
const innerWidth = window.innerWidth;
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  Object.defineProperty(window, 'innerWidth', { value: innerWidth, configurable: true });
});

describe('opening a metric history window', () => {
  it.each([
    ['load', routes.loadHistory(), LOAD_WINDOW],
    ['memory', routes.memHistory(), MEM_WINDOW],
    ['I/O', routes.ioHistory(), IO_WINDOW],
  ] as const)('the %s window: the opener asks first to prepare what the new window will ask first (the main process reads it meanwhile), then opens it', async (_, route, spec) => {
    const agent = fakeHistoryAgent(T0);
    agent.h.seconds.push({ t: T0, id: 1, load: 1 });
    const opener = fakeBridge({ 'history.prepare': () => null });
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    openMetricWindow(opener.bridge, route, 'history-w', spec);
    expect(open).toHaveBeenCalledWith(expect.stringContaining(`#/${route}`), 'history-w', expect.stringContaining(`width=${windowSizeOf(route).width}`));
    expect(opener.invoke.mock.invocationCallOrder[0]).toBeLessThan(open.mock.invocationCallOrder[0]!);
    const [prepared] = opener.calls('history.prepare');

    // The new window, as wide as the opener asked for: its first request is the prepared one, read as history.series.
    Object.defineProperty(window, 'innerWidth', { value: windowSizeOf(route).width, configurable: true });
    const win = fakeBridge({ 'history.series': agent.answer });
    renderHook(() => useSeries(win.bridge, metricsOf(spec), { backup: undefined, view: { mode: 'recorded' }, refresh: false, collector: undefined }));
    await act(async () => undefined);
    expect(win.calls('history.series')[0]).toEqual({ recorded: true, ...prepared });
  });

  it('a failed preparation (an older agent, no history yet) changes nothing: the window opens all the same', async () => {
    const opener = fakeBridge({});
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    openMetricWindow(opener.bridge, routes.loadHistory(), 'history-load', LOAD_WINDOW);
    await act(async () => undefined);
    expect(open).toHaveBeenCalledTimes(1);
  });
});
