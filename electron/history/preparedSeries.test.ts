import { describe, expect, it, vi } from 'vitest';
import type { HistorySeries } from '../../shared/protocol/agentHistory.js';
import { PREPARED_TTL_MS, PreparedSeries } from './preparedSeries.js';

const answer = (n: number) => ({ from: n }) as unknown as HistorySeries;
const FIRST = { recorded: true, buckets: 900, metrics: ['load' as const] };

describe('a window\'s first read, prepared by its opener', () => {
  it('asks the agent for what the window will ask, and gives it to exactly that request, once', async () => {
    const p = new PreparedSeries();
    const read = vi.fn(async () => answer(1));
    p.prepare(1, { buckets: 900, metrics: ['load'] }, read);
    expect(read).toHaveBeenCalledWith({ recorded: true, buckets: 900, metrics: ['load'] });
    expect(p.take(2, FIRST)).toBeUndefined(); // another node's history
    expect(p.take(1, { ...FIRST, buckets: 800 })).toBeUndefined();
    expect(p.take(1, { ...FIRST, metrics: ['mem'] })).toBeUndefined();
    expect(p.take(1, { ...FIRST, backup: 'mosixview-20261129-032821' })).toBeUndefined();
    expect(p.take(1, { ...FIRST, since: 5 })).toBeUndefined();
    expect(await p.take(1, FIRST)).toEqual(answer(1));
    expect(p.take(1, FIRST)).toBeUndefined(); // taken: a second window reads afresh
  });

  it('holds nothing longer than its time to live', () => {
    let now = 1000;
    const p = new PreparedSeries(PREPARED_TTL_MS, () => now);
    p.prepare(1, { buckets: 900, metrics: ['load'] }, async () => answer(1));
    now += PREPARED_TTL_MS + 1;
    expect(p.take(1, FIRST)).toBeUndefined();
  });

  it('a newer preparation of the same read replaces the older, and metrics match in any order', async () => {
    const p = new PreparedSeries();
    p.prepare(1, { buckets: 900, metrics: ['mem', 'rmem'] }, async () => answer(1));
    p.prepare(1, { buckets: 900, metrics: ['rmem', 'mem'] }, async () => answer(2));
    expect(await p.take(1, { recorded: true, buckets: 900, metrics: ['mem', 'rmem'] })).toEqual(answer(2));
  });
});
