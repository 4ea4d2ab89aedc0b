import { describe, expect, it } from 'vitest';
import { RateLimit } from './rateLimit.js';

describe('RateLimit', () => {
  it('logs the same message at most N times a window, then says once how often it repeated', () => {
    const r = new RateLimit(3, 60_000);
    const out: string[] = [];
    for (let t = 0; t < 10; t++) out.push(...r.admit('k', 'disk full', t * 1000));
    expect(out).toEqual(['disk full', 'disk full', 'disk full']);
    expect(r.admit('k', 'disk full', 60_000)).toEqual(['disk full ... repeated 7 times', 'disk full']);
  });

  it('counts each message on its own', () => {
    const r = new RateLimit(1, 60_000);
    expect(r.admit('a', 'a', 0)).toEqual(['a']);
    expect(r.admit('b', 'b', 0)).toEqual(['b']);
    expect(r.admit('a', 'a', 1)).toEqual([]);
  });

  it('sums up a burst that stopped when flushed after its window, once', () => {
    const r = new RateLimit(2, 60_000);
    for (let i = 0; i < 5; i++) r.admit('k', 'boom\n  at f', i);
    expect(r.flush(59_999)).toEqual([]);
    expect(r.flush(60_004)).toEqual(['boom ... repeated 3 times']);
    expect(r.flush(200_000)).toEqual([]);
    expect(r.admit('k', 'boom\n  at f', 200_001)).toEqual(['boom\n  at f']);
  });

  it('says nothing more when nothing was held back', () => {
    const r = new RateLimit(2, 60_000);
    r.admit('k', 'once', 0);
    expect(r.flush(70_000)).toEqual([]);
    expect(r.admit('k', 'once', 70_001)).toEqual(['once']);
  });
});
