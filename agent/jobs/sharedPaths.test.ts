import { describe, expect, it } from 'vitest';
import { ShareCache, mergeAnywhere, rootOf } from './sharedPaths.js';
import type { Visibility } from '../../shared/jobs/targetFacts.js';

describe('which directory stands for a path', () => {
  it('the deepest candidate root that holds it; none for a path outside them all', () => {
    const roots = ['/home/ann', '/home/ann/work', '/srv/jobs'];
    expect(rootOf('/home/ann/work/data/x.csv', roots)).toBe('/home/ann/work');
    expect(rootOf('/home/ann/.bashrc', roots)).toBe('/home/ann');
    expect(rootOf('/home/ann', roots)).toBe('/home/ann');
    expect(rootOf('/home/anne/x', roots)).toBeUndefined();
    expect(rootOf('/usr/lib/libc.so.6', roots)).toBeUndefined();
  });
});

describe('the cache of what is shared', () => {
  it('keeps an answer until it expires: "shared" longer than "not shared", which an admin may fix by mounting', () => {
    let now = 0;
    const c = new ShareCache(() => now);
    c.set('2|/home', { visible: true });
    c.set('2|/tmp', { visible: false, why: 'x' });
    now = ShareCache.NOT_SHARED_MS - 1;
    expect(c.get('2|/tmp')).toEqual({ visible: false, why: 'x' });
    now = ShareCache.NOT_SHARED_MS;
    expect(c.get('2|/tmp')).toBeUndefined();
    expect(c.get('2|/home')).toEqual({ visible: true });
    now = ShareCache.SHARED_MS;
    expect(c.get('2|/home')).toBeUndefined();
  });
});

describe('visible anywhere', () => {
  it('a path seen by one other node is visible; one seen by none says why, with every node', () => {
    const no = (why: string): Visibility => ({ visible: false, why });
    const per = new Map<number, Map<string, Visibility>>([
      [2, new Map<string, Visibility>([['/a', { visible: true }], ['/t', no('not there')]])],
      [3, new Map<string, Visibility>([['/a', no('not there')], ['/t', no('not there')]])],
      [4, new Map<string, Visibility>([['/a', no('not there')], ['/t', no('node 4 did not answer')]])],
    ]);
    const { seen, sharedWith } = mergeAnywhere(per, ['/a', '/t']);
    expect(seen.get('/a')).toEqual({ visible: true });
    expect(seen.get('/t')).toEqual({ visible: false, why: 'not there (nodes 2, 3); node 4 did not answer (node 4)' });
    expect(sharedWith).toEqual([]);
    expect(mergeAnywhere(per, ['/a']).sharedWith).toEqual([2]);
  });
});
