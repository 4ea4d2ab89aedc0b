import { describe, expect, it } from 'vitest';
import { AVOID_FIRST_MS, FACTS_AVOID_MS, TargetTrouble } from './targetTrouble.js';

describe('targets whose moves failed', () => {
  it('a failing target is avoided, longer after each failure in a row, and good again after a move there worked', () => {
    const t = new TargetTrouble();
    expect(t.failed(2, 'no disk', 0)).toBe(AVOID_FIRST_MS);
    expect(t.failed(2, 'no disk', 1000)).toBe(2 * AVOID_FIRST_MS);
    expect([...t.avoided(2000).keys()]).toEqual([2]);
    t.succeeded(2);
    expect(t.avoided(2000).size).toBe(0);
  });

  it('a target whose facts show no CRIU is avoided at least FACTS_AVOID_MS, whatever news of it says', () => {
    const t = new TargetTrouble();
    t.failed(3, 'restore failed', 0);
    t.factsSay(3, 'node 3 has no CRIU', 0);
    t.news([{ node: 3, blocks: false, at: 10_000 }]);
    expect(t.avoided(FACTS_AVOID_MS - 1).get(3)).toBe('node 3 has no CRIU');
    expect(t.avoided(FACTS_AVOID_MS + 1).size).toBe(0);
  });

  it('a target that blocked guests gets jobs again once news from it, newer than the failure, says it no longer blocks', () => {
    const t = new TargetTrouble();
    t.failed(4, 'refused: node 4 blocks guests', 100_000);
    t.factsSay(4, 'node 4 blocks guests (mosctl block)', 100_000, { liftedByNews: true });
    // News from before the failure, or saying it still blocks, changes nothing.
    t.news([{ node: 4, blocks: false, at: 99_000 }, { node: 4, blocks: true, at: 101_000 }]);
    expect(t.avoided(102_000).get(4)).toBe('node 4 blocks guests (mosctl block)');
    // mosctl noblock on node 4: its next entry says so, and node 4 is a target again at once.
    t.news([{ node: 4, blocks: false, at: 103_000 }]);
    expect(t.avoided(103_500).size).toBe(0);
    // A later failure there starts the doubling afresh.
    expect(t.failed(4, 'no disk', 104_000)).toBe(AVOID_FIRST_MS);
  });
});
