import { describe, expect, it } from 'vitest';
import { GuestEnds, RETRY_MS } from './guestEnds.js';
import type { JobRecord } from '../../shared/jobs/job.js';

const rec = (home: number, id: number, over: Partial<JobRecord> = {}): JobRecord => ({
  ref: { home, id }, argv: ['x'], cwd: '/', mode: { kind: 'plain' }, dir: '/j', startedAt: 0, state: 'running', where: 0, locked: false, migrations: 1, ...over,
});
const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(records: JobRecord[], answer: (home: number) => Promise<unknown>) {
  let now = 1_000_000;
  const told: { home: number; req: unknown }[] = [];
  const removed: string[] = [];
  const logs: string[] = [];
  const g = new GuestEnds({
    list: () => records.filter((r) => !removed.includes(`${r.ref.home}.${r.ref.id}`)),
    remove: (k) => removed.push(k),
    self: () => 3,
    tell: (home, req) => {
      told.push({ home, req });
      return answer(home);
    },
    now: () => now,
    log: (m) => logs.push(m),
  });
  return { g, told, removed, logs, advance: (ms: number) => (now += ms) };
}

describe('guests that end here are told to their home node', () => {
  it('tells the home how each ended guest ended, then forgets it; running guests and own jobs are not told', async () => {
    const s = setup([rec(1, 10, { state: 'exited', exitStatus: 0 }), rec(2, 11, { state: 'killed' }), rec(1, 12), rec(3, 13, { state: 'exited' }), rec(1, 14, { state: 'away', where: 4 })], async () => null);
    s.g.sweep();
    await flush();
    expect(s.told).toEqual([
      { home: 1, req: { ref: { home: 1, id: 10 }, on: 3, state: 'exited', exitStatus: 0 } },
      { home: 2, req: { ref: { home: 2, id: 11 }, on: 3, state: 'killed' } },
    ]);
    expect(s.removed).toEqual(['1.10', '2.11']);
  });
  it('a home that does not answer is told again after the retry time, and the record is kept until then', async () => {
    let up = false;
    const s = setup([rec(1, 10, { state: 'lost' })], async () => {
      if (!up) throw new Error('node 1 did not answer');
    });
    s.g.sweep();
    await flush();
    s.g.sweep(); // too soon: not again
    await flush();
    expect(s.told).toHaveLength(1);
    expect(s.removed).toEqual([]);
    expect(s.logs[0]).toMatch(/could not tell home node 1 that job 1.10 lost here: node 1 did not answer \(will retry\)/);
    up = true;
    s.advance(RETRY_MS);
    s.g.sweep();
    await flush();
    expect(s.told).toHaveLength(2);
    expect(s.removed).toEqual(['1.10']);
  });
});
