import { describe, expect, it } from 'vitest';
import type { ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { clusterRows, nodeAbsence, rowLabel, usersOf, type NodeAnswer } from './clusterRows.js';

const proc = (over: Partial<ProcInfo>): ProcInfo => ({
  pid: 1, ppid: 0, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0, rssKb: 1000, nice: 0, where: 0, ...over,
});
const WRAP = 'sh -c "$@" 3>&-; echo $? >&3 mosixview-job';
const record = (over: Partial<JobRecord> & Pick<JobRecord, 'ref'>): JobRecord => ({
  argv: ['/bin/sleep', '300'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/j', startedAt: 1, state: 'running', where: 0, locked: false, migrations: 0, ...over,
});

/** A job as its node lists it: unshare (while at home), the init shell, the command. */
function jobProcs(ref: { home: number; id: number }, initPid: number, over: Partial<ProcInfo> = {}, unshare = true): ProcInfo[] {
  const job = { job: ref, ...(over.guestFrom ? { guestFrom: over.guestFrom } : {}) };
  return [
    ...(unshare ? [proc({ pid: initPid - 1, ppid: 50, command: 'unshare', args: `unshare ${WRAP} /bin/sleep 300`, cantMove: 'not started with mosrun' })] : []),
    proc({ pid: initPid, ppid: unshare ? initPid - 1 : 60, command: 'sh', args: `${WRAP} /bin/sleep 300`, rssKb: 100, cpu: 0.5, ...job, ...over }),
    proc({ pid: initPid + 1, ppid: initPid, user: 'alice', command: 'sleep', args: '/bin/sleep 300', rssKb: 900, cpu: 2, ...job, ...over }),
  ];
}

describe('clusterRows', () => {
  it('lists every process of every node that answered, a job as one row with its home, where it runs, migrations and why it cannot move', () => {
    const a: NodeAnswer[] = [
      { nodeId: 2, procs: [proc({ pid: 1 }), proc({ pid: 812, ppid: 1, user: 'bob', command: 'vim', args: 'vim notes' })], jobs: [] },
      { nodeId: 1, procs: [proc({ pid: 1 }), ...jobProcs({ home: 1, id: 4321 }, 4321, { cantMove: 'it is locked' })], jobs: [record({ ref: { home: 1, id: 4321 }, pid: 4321, locked: true, migrations: 2 })] },
    ];
    const rows = clusterRows(a);
    // The job's unshare and sh -c wrapper are parts of its row, not rows of their own.
    expect(rows.map(rowLabel)).toEqual(['Process 1 on node 1', 'Job 1.4321', 'Process 1 on node 2', 'Process 812 on node 2']);
    const job = rows.find((r) => r.job)!;
    expect(job).toMatchObject({ key: 'j1.4321', nodeId: 1, pid: 4321, user: 'alice', command: '/bin/sleep 300', cpu: 2.5, rssKb: 2000, parentPid: 50 });
    expect(job.job).toEqual({ ref: { home: 1, id: 4321 }, key: '1.4321', where: 0, migrations: 2, locked: true, cantMove: 'it is locked' });
    expect(rows[3]).toMatchObject({ key: 'p2:812', user: 'bob', command: 'vim notes', parentPid: 1 });
    expect(rows[3]!.job).toBeUndefined();
  });

  it('lists a migrated job once, where it runs, with the record of that node; its home\'s deputy is left out', () => {
    const ref = { home: 1, id: 600 };
    const a: NodeAnswer[] = [
      { nodeId: 1, procs: [proc({ pid: 600, where: 3, away: ref, state: 'M', command: 'sleep', args: '/bin/sleep 300' })], jobs: [record({ ref, state: 'away', where: 3, migrations: 1 })] },
      { nodeId: 3, procs: jobProcs(ref, 77, { guestFrom: 1 }, false), jobs: [record({ ref, pid: 77, migrations: 3 })] },
    ];
    const rows = clusterRows(a);
    expect(rows.map(rowLabel)).toEqual(['Job 1.600']);
    expect(rows[0]).toMatchObject({ nodeId: 3, pid: 77, parentPid: 60 });
    expect(rows[0]!.job).toMatchObject({ where: 3, migrations: 3 });
  });

  it('takes a guest\'s record from its home when the node it runs on keeps none, and says nothing of migrations when neither does', () => {
    const ref = { home: 1, id: 600 };
    const withHome = clusterRows([
      { nodeId: 1, procs: [], jobs: [record({ ref, state: 'away', where: 3, migrations: 4 })] },
      { nodeId: 3, procs: jobProcs(ref, 77, { guestFrom: 1 }, false), jobs: [] },
    ]);
    expect(withHome[0]!.job).toMatchObject({ migrations: 4 });
    const alone = clusterRows([{ nodeId: 3, procs: jobProcs(ref, 77, { guestFrom: 1 }, false), jobs: [] }]);
    expect(alone[0]!.job!.migrations).toBeUndefined();
  });

  it('mid-migration a job two nodes list is one row: the copy that is not frozen', () => {
    const ref = { home: 1, id: 600 };
    const rows = clusterRows([
      { nodeId: 1, procs: jobProcs(ref, 600, { moving: { from: 1, to: 3 }, state: 'T' }), jobs: [] },
      { nodeId: 3, procs: jobProcs(ref, 77, { guestFrom: 1 }, false), jobs: [] },
    ]);
    expect(rows.filter((r) => r.job).map((r) => [r.key, r.nodeId, r.pid])).toEqual([['j1.600', 3, 77]]);
    // Only the frozen copy is listed (the target has not restored it yet): it is shown, moving.
    const before = clusterRows([{ nodeId: 1, procs: jobProcs(ref, 600, { moving: { from: 1, to: 3 } }), jobs: [] }]);
    expect(before.find((r) => r.job)!.job!.moving).toEqual({ from: 1, to: 3 });
  });

  it('says why a node is not asked, and lists the users once each', () => {
    expect(nodeAbsence({ id: 1, host: 'a', status: 'up' })).toBeUndefined();
    expect(nodeAbsence({ id: 1, host: 'a', status: 'down', reason: 'connection refused' })).toBe('down: connection refused');
    expect(nodeAbsence({ id: 1, host: 'a', status: 'down' })).toBe('down');
    expect(nodeAbsence({ id: 1, host: 'a', status: 'connecting' })).toBe('still connecting');
    expect(nodeAbsence(undefined)).toBe('not known yet');
    const rows = clusterRows([{ nodeId: 1, procs: [proc({ pid: 1, user: 'root' }), proc({ pid: 2, user: 'bob' }), proc({ pid: 3, user: 'bob' })], jobs: [] }]);
    expect(usersOf(rows)).toEqual(['bob', 'root']);
  });
});
