import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { freezeText, jobsByNode, moveLine, moveOf, newMoves } from './monitorJobs.js';

function rec(home: number, id: number, part: Partial<JobRecord> = {}): JobRecord {
  return {
    ref: { home, id }, argv: ['/bin/sleep', '100'], cwd: '/shared', mode: { kind: 'plain' }, dir: '/shared/j', startedAt: 1,
    state: 'running', where: 0, locked: false, migrations: 0, ...part,
  };
}

describe('jobsByNode', () => {
  it('puts each running job in the node that runs it, ordered by home and number; records of jobs away or ended are not jobs there', () => {
    const byNode = jobsByNode([
      { nodeId: 1, jobs: [rec(1, 9), rec(1, 5, { state: 'away', where: 3 }), rec(1, 7, { state: 'exited' })] },
      { nodeId: 3, jobs: [rec(1, 5, { migrations: 1 }), rec(2, 1, { locked: true })] },
      { nodeId: 2, jobs: [] },
    ]);
    expect(byNode[1]!.map((j) => j.key)).toEqual(['1.9']);
    expect(byNode[2]).toEqual([]);
    expect(byNode[3]!.map((j) => j.key)).toEqual(['1.5', '2.1']);
    expect(byNode[3]![1]).toMatchObject({ command: '/bin/sleep 100', locked: true });
  });

  it('a job in the middle of a move is shown once, at its source, marked moving; once the target runs it, there', () => {
    const moving = { id: 'm', from: 1, to: 2 };
    const during = jobsByNode([
      { nodeId: 2, jobs: [rec(1, 5, { state: 'frozen', frozenBy: 'restore', moving })] },
      { nodeId: 1, jobs: [rec(1, 5, { state: 'frozen', frozenBy: 'checkpoint', moving })] },
    ]);
    expect(during[1]).toEqual([expect.objectContaining({ key: '1.5', movingTo: 2 })]);
    expect(during[2]).toEqual([]);
    // The source's answer missing: the restored copy is the only place known.
    expect(jobsByNode([{ nodeId: 2, jobs: [rec(1, 5, { state: 'frozen', frozenBy: 'restore', moving })] }])[2]!.map((j) => j.key)).toEqual(['1.5']);
  });
});

describe('moves', () => {
  const landed = rec(1, 5, { migrations: 2, lastMigration: { from: 1, to: 3, freezeMs: 231.4, bytes: 10, at: 50, by: 'balancer' } });

  it('reads a move from the record of the node it landed on, and only there', () => {
    expect(moveOf(3, landed)).toEqual({ id: '1.5#2', key: '1.5', from: 1, to: 3, freezeMs: 231.4, at: 50, by: 'balancer' });
    // The home's record of the job away, a copy being restored, a job that never moved: no move.
    expect(moveOf(1, { ...landed, state: 'away', where: 3 })).toBeUndefined();
    expect(moveOf(2, { ...landed, state: 'frozen', frozenBy: 'restore' })).toBeUndefined();
    expect(moveOf(4, landed)).toBeUndefined();
    expect(moveOf(1, rec(1, 6))).toBeUndefined();
  });

  it('each move once, oldest first: one seen before, or seen again in a later record, is not new', () => {
    const other = rec(2, 8, { migrations: 1, lastMigration: { from: 2, to: 4, freezeMs: 90, bytes: 1, at: 20 } });
    const answers = [{ nodeId: 3, jobs: [landed] }, { nodeId: 4, jobs: [other] }, { nodeId: 1, jobs: [{ ...landed, where: 3, state: 'away' as const }] }];
    expect(newMoves(new Set(), answers).map((m) => m.id)).toEqual(['2.8#1', '1.5#2']);
    expect(newMoves(new Set(['1.5#2']), answers).map((m) => m.id)).toEqual(['2.8#1']);
    expect(newMoves(new Set(), [{ nodeId: 3, jobs: [landed, { ...landed, locked: true }] }])).toHaveLength(1);
  });

  it('says from, to, the freeze and by whom', () => {
    expect(moveLine(moveOf(3, landed)!)).toBe('Job 1.5: node 1 to node 3, frozen 231 ms, by the balancer');
    expect(moveLine({ ...moveOf(3, landed)!, by: 'admin' })).toBe('Job 1.5: node 1 to node 3, frozen 231 ms, by the admin');
    const { by: _, ...older } = moveOf(3, landed)!;
    expect(moveLine(older)).toBe('Job 1.5: node 1 to node 3, frozen 231 ms, by whom not recorded (older agent)');
    expect([freezeText(231.4), freezeText(1520), freezeText(12_400)]).toEqual(['231 ms', '1.5 s', '12 s']);
  });
});
