import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_SPEED, MIN_SPEED, type NodeView } from '../../shared/domain/node.js';
import { DEFAULT_SPEED_MAX, widenSpeedMax } from './speedRange.js';

const up = (speed: number): NodeView => ({
  id: 1, host: 'n1', status: 'up',
  sample: { t: 1, hostname: 'n1', cpus: 1, demand: 0, load: 0, util: 0, mem: { totalKb: 1, freeKb: 1, availableKb: 1 }, speed, procCount: 0 },
});

describe('widenSpeedMax', () => {
  it('keeps the range while every speed fits, widens it to half as much again past the fastest', () => {
    expect(widenSpeedMax(DEFAULT_SPEED_MAX, [up(10000), up(100000)])).toBe(DEFAULT_SPEED_MAX);
    expect(widenSpeedMax(DEFAULT_SPEED_MAX, [up(10000), up(200000)])).toBe(300000);
    expect(widenSpeedMax(DEFAULT_SPEED_MAX, [up(MAX_SPEED)])).toBe(MAX_SPEED);
    expect(widenSpeedMax(DEFAULT_SPEED_MAX, [{ id: 2, host: 'n2', status: 'down' }])).toBe(DEFAULT_SPEED_MAX);
  });

  it('never narrows, and any value a slider can take leaves it as it is (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: DEFAULT_SPEED_MAX, max: MAX_SPEED }), fc.array(fc.integer({ min: MIN_SPEED, max: MAX_SPEED })), (max, speeds) => {
        const after = widenSpeedMax(max, speeds.map(up));
        expect(after).toBeGreaterThanOrEqual(max);
        for (const s of speeds) expect(after).toBeGreaterThanOrEqual(s);
        // The admin drags within [MIN_SPEED, after]: the node reporting that value changes nothing.
        fc.pre(speeds.length > 0);
        expect(widenSpeedMax(after, [up(Math.min(after, speeds[0]!))])).toBe(after);
      }),
      { seed: 13 },
    );
  });
});
