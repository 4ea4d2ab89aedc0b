import { beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { monitorActions, useMonitor } from './monitorStore.js';

function rec(id: number, part: Partial<JobRecord> = {}): JobRecord {
  return { ref: { home: 1, id }, argv: ['sleep', '9'], cwd: '/s', mode: { kind: 'plain' }, dir: '/s/j', startedAt: 1, state: 'running', where: 0, locked: false, migrations: 0, ...part };
}
const moved = (id: number, n: number, from: number, to: number) => rec(id, { migrations: n, lastMigration: { from, to, freezeMs: 100, bytes: 1, at: n, by: 'admin' } });

describe('monitor store', () => {
  beforeEach(() => monitorActions.reset());

  it('moves made before the window opened are not logged; later ones are, once, and drawn', () => {
    monitorActions.applyAnswers([{ nodeId: 2, jobs: [moved(5, 1, 1, 2)] }, { nodeId: 1, jobs: [rec(6)] }, { nodeId: 3, jobs: [] }]);
    expect(useMonitor.getState().moves).toEqual([]);
    monitorActions.applyAnswers([{ nodeId: 3, jobs: [moved(5, 2, 2, 3)] }, { nodeId: 1, jobs: [rec(6)] }]);
    monitorActions.applyRecord(3, moved(5, 2, 2, 3));
    const st = useMonitor.getState();
    expect(st.moves.map((m) => m.id)).toEqual(['1.5#2']);
    expect(st.flights.map((f) => f.id)).toEqual(['1.5#2']);
    monitorActions.landed('1.5#2');
    expect(useMonitor.getState().flights).toEqual([]);
    expect(useMonitor.getState().moves).toHaveLength(1);
  });

  it('a record sent on a change logs its move at once, even from a node not answered yet, when the move is newer than the window', () => {
    monitorActions.opened(1000);
    monitorActions.applyRecord(2, moved(5, 1, 1, 2)); // at 1: before the window opened
    expect(useMonitor.getState().moves).toEqual([]);
    monitorActions.applyRecord(2, rec(5, { migrations: 2, lastMigration: { from: 1, to: 2, freezeMs: 80, bytes: 1, at: 2000, by: 'admin' } }));
    expect(useMonitor.getState().moves.map((m) => m.id)).toEqual(['1.5#2']);
    monitorActions.applyAnswers([{ nodeId: 2, jobs: [rec(5, { migrations: 2, lastMigration: { from: 1, to: 2, freezeMs: 80, bytes: 1, at: 2000, by: 'admin' } })] }]);
    expect(useMonitor.getState().moves).toHaveLength(1);
  });

  it('a node first heard from after the window opened (its row came up late) brings its old moves as known, not news', () => {
    monitorActions.opened(1000);
    monitorActions.applyAnswers([]); // the window's node list was still empty at the first poll
    monitorActions.applyAnswers([{ nodeId: 2, jobs: [moved(5, 1, 1, 2)] }, { nodeId: 3, jobs: [rec(7, { migrations: 1, lastMigration: { from: 1, to: 3, freezeMs: 90, bytes: 1, at: 1500, by: 'balancer' } })] }]);
    // Job 1.5 moved before the window opened (at 1); job 1.7 after it (at 1500): only that one is news.
    expect(useMonitor.getState().moves.map((m) => m.id)).toEqual(['1.7#1']);
    monitorActions.applyAnswers([{ nodeId: 2, jobs: [moved(5, 2, 3, 2)] }]);
    expect(useMonitor.getState().moves.map((m) => m.id)).toEqual(['1.7#1', '1.5#2']);
  });

  it('a node whose jobs did not change keeps the same list (its circle does not draw again)', () => {
    monitorActions.applyAnswers([{ nodeId: 1, jobs: [rec(5)] }, { nodeId: 2, jobs: [rec(6)] }]);
    const before = useMonitor.getState().jobs;
    monitorActions.applyAnswers([{ nodeId: 1, jobs: [rec(5)] }, { nodeId: 2, jobs: [rec(6, { locked: true })] }]);
    const after = useMonitor.getState().jobs;
    expect(after[1]).toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
  });
});
