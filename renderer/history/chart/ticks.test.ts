import { describe, expect, it } from 'vitest';
import { timeTickLabel, timeTicks, valueTicks } from './ticks.js';

const M = 60_000;
const H = 60 * M;
// A local time, so the tests read the same in every time zone.
const at = (h: number, m = 0, s = 0) => new Date(2026, 10, 29, h, m, s).getTime();

describe('time ticks', () => {
  it('fall on round local times, never odd ones like 04:03 or 05:04', () => {
    const day = timeTicks(at(3, 28, 21), at(3, 28, 21) + 24 * H, 1100);
    expect(day.step).toBe(2 * H);
    expect(day.ticks.map((t) => timeTickLabel(t, day.step)).slice(0, 3)).toEqual(['04:00', '06:00', '08:00']);
    expect(day.ticks.map((t) => timeTickLabel(t, day.step))).toContain('2026-11-30');
  });
  it('pick the smallest round step that keeps labels apart', () => {
    const cases: [number, number][] = [[40 * M, 5 * M], [3 * M, 15_000], [90_000, 10_000], [6 * H, 30 * M], [12 * H, H]];
    for (const [span, step] of cases) {
      const r = timeTicks(at(10, 1, 7), at(10, 1, 7) + span, 1000);
      expect(r.step, `span ${span / M} min`).toBe(step);
      for (const t of r.ticks) expect((t - at(0)) % step).toBe(0);
      expect(r.ticks[0]!).toBeGreaterThanOrEqual(at(10, 1, 7));
      expect(r.ticks.length).toBeLessThanOrEqual(1000 / 70 + 1);
    }
  });
  it('show seconds only when the step is under a minute', () => {
    expect(timeTickLabel(at(14, 5, 30), 15_000)).toBe('14:05:30');
    expect(timeTickLabel(at(14, 5), 5 * M)).toBe('14:05');
  });
});

describe('value ticks', () => {
  it.each([
    [100, [0, 25, 50, 75, 100]],
    [200, [0, 50, 100, 150, 200]],
    [120, [0, 50, 100, 150]],
    [95, [0, 25, 50, 75, 100]],
    [16, [0, 5, 10, 15, 20]],
    [7.3, [0, 2, 4, 6, 8]],
    [0, [0, 0.25, 0.5, 0.75, 1]],
  ])('%d: %j', (max, ticks) => {
    const v = valueTicks(max);
    expect(v.ticks).toEqual(ticks);
    expect(v.top).toBe(ticks[ticks.length - 1]);
  });
});
