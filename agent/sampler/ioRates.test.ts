import { describe, expect, it } from 'vitest';
import { counterGrowth, DeviceRates } from './ioRates.js';
import type { ByteCounters } from './ioText.js';

const devs = (o: Record<string, [number, number]>) => new Map<string, ByteCounters>(Object.entries(o).map(([k, [a, b]]) => [k, { in: a, out: b }]));

describe('counterGrowth', () => {
  it('is the difference of a counter that grew', () => {
    expect(counterGrowth(1000, 1500)).toBe(500);
    expect(counterGrowth(7, 7)).toBe(0);
  });

  it('takes a 32-bit counter that went back as wrapped', () => {
    expect(counterGrowth(2 ** 32 - 100, 50)).toBe(150);
  });

  it('takes a counter above 32 bits that went back as reset (its device came back): counted from zero', () => {
    expect(counterGrowth(2 ** 40, 300)).toBe(300);
  });
});

describe('DeviceRates', () => {
  it('has no rates before a second reading, then sums each device\'s growth per second', () => {
    const r = new DeviceRates();
    expect(r.next(devs({ a: [0, 0], b: [100, 100] }), 0)).toBeUndefined();
    expect(r.next(devs({ a: [2000, 400], b: [1100, 100] }), 2)).toEqual({ in: 1500, out: 200 });
  });

  it('counts a device that appears from its second reading on, not its bytes since boot', () => {
    const r = new DeviceRates();
    r.next(devs({ a: [0, 0] }), 1);
    expect(r.next(devs({ a: [10, 10], usb: [9e12, 9e12] }), 1)).toEqual({ in: 10, out: 10 });
    expect(r.next(devs({ a: [20, 20], usb: [9e12 + 5, 9e12 + 7] }), 1)).toEqual({ in: 15, out: 17 });
  });

  it('lets a device that vanishes take only itself away', () => {
    const r = new DeviceRates();
    r.next(devs({ a: [0, 0], gone: [5e9, 5e9] }), 1);
    expect(r.next(devs({ a: [30, 40] }), 1)).toEqual({ in: 30, out: 40 });
  });

  it('handles a wrap on one device among others', () => {
    const r = new DeviceRates();
    r.next(devs({ a: [2 ** 32 - 10, 0], b: [0, 0] }), 1);
    expect(r.next(devs({ a: [10, 0], b: [5, 5] }), 1)).toEqual({ in: 25, out: 5 });
  });

  it('knows nothing for an unreadable file, and starts again from the next reading', () => {
    const r = new DeviceRates();
    r.next(devs({ a: [0, 0] }), 1);
    expect(r.next(undefined, 1)).toBeUndefined();
    expect(r.next(devs({ a: [500, 0] }), 1)).toBeUndefined();
    expect(r.next(devs({ a: [600, 0] }), 1)).toEqual({ in: 100, out: 0 });
  });
});
