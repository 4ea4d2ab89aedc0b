import { describe, expect, it } from 'vitest';
import { bringHome, BRING_ROUNDS } from './bringHome.js';
import type { MoveReport } from '../../shared/protocol/agentBalance.js';

const none: MoveReport = { moved: [], failed: [], unreachable: [] };

describe('bring', () => {
  it('asks every other node; a job in transit to a third node is found there in the next round', async () => {
    const asked: number[] = [];
    let round = 0;
    const r = await bringHome(1, [1, 2, 3, 4], async (n) => {
      asked.push(n);
      if (n === 2) round++;
      if (n === 2 && round === 1) return { ...none, moved: ['1.10'] };
      if (n === 3 && round === 2) return { ...none, moved: ['1.11'], note: 'one job was arriving' };
      return none;
    });
    expect(r.moved.sort()).toEqual(['1.10', '1.11']);
    expect(r.note).toBe('node 3: one job was arriving');
    expect(asked.filter((n) => n === 1)).toEqual([]); // never itself
    expect(asked.length).toBe(9); // three rounds of three: the third moved nothing and ended it
  });
  it('a node that cannot be asked is listed with why; a job that stayed says why; no endless rounds', async () => {
    let calls = 0;
    const r = await bringHome(1, [1, 2, 3], async (n) => {
      calls++;
      if (n === 3) throw new Error('node 3 did not answer');
      return { ...none, moved: [`1.${calls}`], failed: [{ job: '1.99', why: 'locked' }] };
    });
    expect(r.unreachable).toEqual([{ node: 3, why: 'node 3 did not answer' }]);
    expect(r.failed).toEqual([{ job: '1.99', why: 'locked' }]);
    expect(calls).toBe(2 * BRING_ROUNDS);
  });
});
