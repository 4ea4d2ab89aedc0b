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
});
