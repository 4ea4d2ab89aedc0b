import { describe, expect, it } from 'vitest';
import { ARRIVAL_WINDOW_MS, Arrivals } from './arrivals.js';

describe('Arrivals: who moved a job here', () => {
  it('an announced arrival is the balancer\'s; an unannounced one, too early or too late, the admin\'s', () => {
    let now = 1000;
    const a = new Arrivals(() => now);
    expect(a.movedBy('1.5', 2000)).toBe('admin');
    a.expect('1.5');
    expect(a.movedBy('1.5', 3000)).toBe('balancer');
    // A move before the announcement, or long after it, was not the announced one.
    expect(a.movedBy('1.5', 500)).toBe('admin');
    expect(a.movedBy('1.5', 1000 + ARRIVAL_WINDOW_MS + 1)).toBe('admin');
    expect(a.movedBy('2.5', 3000)).toBe('admin');
    // Old announcements are forgotten.
    now += ARRIVAL_WINDOW_MS + 1;
    a.expect('3.1');
    expect(a.movedBy('1.5', 3000)).toBe('admin');
  });

  it("an announcement covers one arrival: the admin's later move back here within the window is the admin's", () => {
    const now = 1000;
    const a = new Arrivals(() => now);
    a.expect('1.5');
    expect(a.movedBy('1.5', 1500)).toBe('balancer');
    expect(a.movedBy('1.5', 1500)).toBe('balancer');
    // The admin moved it away and back: a second arrival, which nobody announced.
    expect(a.movedBy('1.5', 4000)).toBe('admin');
    // A new announcement covers the next arrival.
    a.expect('1.5');
    expect(a.movedBy('1.5', 4500)).toBe('balancer');
  });
});
