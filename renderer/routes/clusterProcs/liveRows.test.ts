import { describe, expect, it } from 'vitest';
import { reuseUnchanged, stepOfKey, stepSelection } from './liveRows.js';
import { jobRow, row } from './testRows.test-util.js';

describe('live updates of the cluster processes', () => {
  it('keeps the object of each row that did not change, so its line is not drawn again', () => {
    const before = [row({ nodeId: 1, pid: 1 }), row({ nodeId: 1, pid: 2, cpu: 5 }), jobRow(1, 7, { nodeId: 1, pid: 7 })];
    const after = [row({ nodeId: 1, pid: 1 }), row({ nodeId: 1, pid: 2, cpu: 6 }), jobRow(1, 7, { nodeId: 3, pid: 70 }), row({ nodeId: 2, pid: 9 })];
    const merged = reuseUnchanged(before, after);
    expect(merged[0]).toBe(before[0]);
    expect(merged[1]).toBe(after[1]);
    // The job moved: same key, new place.
    expect(merged[2]).toBe(after[2]);
    expect(merged[3]).toBe(after[3]);
    expect(merged.map((r) => r.key)).toEqual(['p1:1', 'p1:2', 'j1.7', 'p2:9']);
  });

  it('sees a change of any job fact', () => {
    const a = jobRow(1, 7, { nodeId: 1, pid: 7 });
    for (const job of [{ migrations: 1 }, { locked: true }, { cantMove: 'x' }, { moving: { from: 1, to: 2 } }]) {
      const b = { ...a, job: { ...a.job!, ...job } };
      expect(reuseUnchanged([a], [b])[0], JSON.stringify(job)).toBe(b);
    }
    const same = { ...a, job: { ...a.job! } };
    expect(reuseUnchanged([a], [same])[0]).toBe(a);
  });

  it('moves the selection with the keys within the rows shown, and stops at the ends', () => {
    const keys = ['a', 'b', 'c', 'd', 'e'];
    expect(stepSelection(keys, 'b', 'next')).toBe('c');
    expect(stepSelection(keys, 'b', 'previous')).toBe('a');
    expect(stepSelection(keys, 'a', 'previous')).toBe('a');
    expect(stepSelection(keys, 'e', 'next')).toBe('e');
    expect(stepSelection(keys, 'c', 'first')).toBe('a');
    expect(stepSelection(keys, 'c', 'last')).toBe('e');
    expect(stepSelection(keys, 'a', 'pageDown', 3)).toBe('d');
    expect(stepSelection(keys, 'b', 'pageUp', 3)).toBe('a');
    // Nothing selected, or the selection filtered out: the keys start at the first row (End at the last).
    expect(stepSelection(keys, undefined, 'next')).toBe('a');
    expect(stepSelection(keys, 'gone', 'previous')).toBe('a');
    expect(stepSelection(keys, 'gone', 'last')).toBe('e');
    expect(stepSelection([], 'x', 'next')).toBe('x');
    expect(['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp', 'a'].map(stepOfKey)).toEqual(['next', 'previous', 'first', 'last', 'pageDown', 'pageUp', undefined]);
  });
});
