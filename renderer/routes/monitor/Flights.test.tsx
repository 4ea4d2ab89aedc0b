// @vitest-environment jsdom
/** A move is drawn travelling, then its freeze beside the node; with reduced motion asked for, at once and without travel. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { Flights, LANDED_MS, TRAVEL_MS } from './Flights.js';
import { monitorActions, useMonitor } from './monitorStore.js';
import { ringLayout } from './ringLayout.js';

const layout = ringLayout([{ id: 1, cpus: 2 }, { id: 2, cpus: 2 }]);
const move = { id: '1.5#1', key: '1.5', from: 1, to: 2, freezeMs: 230, at: 1, by: 'balancer' as const };

function reducedMotion(on: boolean) {
  vi.stubGlobal('matchMedia', (q: string) => ({ matches: on && q.includes('reduce'), media: q, addEventListener() {}, removeEventListener() {} }));
}

beforeEach(() => {
  vi.useFakeTimers();
  monitorActions.reset();
  act(() => monitorActions.applyAnswers([{ nodeId: 1, jobs: [] }]));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('Flights', () => {
  it('travels, then shows the freeze at the landing, then goes', () => {
    reducedMotion(false);
    act(() => useMonitor.setState({ flights: [move] }));
    const { container } = render(<svg><Flights layout={layout} /></svg>);
    expect(container.querySelector('.flight-dot')).not.toBeNull();
    expect(container.querySelector('.flight-landing')).toBeNull();
    expect(useMonitor.getState().flights[0]!.landed).toBeUndefined();
    act(() => void vi.advanceTimersByTime(TRAVEL_MS));
    expect(container.querySelector('.flight-dot')).toBeNull();
    expect(container.querySelector('.flight-landing')!.textContent).toBe('1.5 frozen 230 ms');
    expect(useMonitor.getState().flights[0]!.landed).toBe(true);
    act(() => void vi.advanceTimersByTime(LANDED_MS));
    expect(useMonitor.getState().flights).toEqual([]);
    expect(container.querySelector('.flight-landing')).toBeNull();
  });

  it('with reduced motion: no travel, the freeze at the landing at once', () => {
    reducedMotion(true);
    act(() => useMonitor.setState({ flights: [move] }));
    const { container } = render(<svg><Flights layout={layout} /></svg>);
    expect(container.querySelector('.flight-dot')).toBeNull();
    expect(container.querySelector('.flight-landing')!.textContent).toBe('1.5 frozen 230 ms');
  });
});
