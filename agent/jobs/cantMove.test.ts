import { describe, expect, it } from 'vitest';
import { NOT_A_JOB, cantMoveReasons, criuProblem, visibleOn, type MoveFacts } from './cantMove.js';
import type { TargetFacts } from '../../shared/jobs/targetFacts.js';

const criu = { path: '/usr/sbin/criu', version: '4.1.1', preDump: false };
const view = { sharedRoots: ['/'], localRoots: ['/proc', '/tmp'] };
const target: TargetFacts = { node: 3, criu, blocksGuests: false, ...view };
const base: MoveFacts = { isJob: true, locked: false, mode: { kind: 'plain' }, home: 1, source: { node: 1, criu, ...view }, target, files: [] };

describe('why a process cannot move', () => {
  it('a healthy job can move', () => {
    expect(cantMoveReasons(base)).toEqual([]);
  });

  it('only mosrun jobs move', () => {
    expect(cantMoveReasons({ ...base, isJob: false })).toEqual([NOT_A_JOB]);
  });

  it('modes and the lock', () => {
    expect(cantMoveReasons({ ...base, mode: { kind: 'nomig' } })[0]).toMatch(/nomig/);
    expect(cantMoveReasons({ ...base, locked: true })[0]).toMatch(/locked/);
    // runhome still goes home.
    expect(cantMoveReasons({ ...base, mode: { kind: 'runhome' }, target: { ...target, node: 1 } }).join()).not.toMatch(/runhome/);
  });

  it('CRIU missing or too old, on either side, names the node', () => {
    expect(criuProblem(2, { preDump: false })).toMatch(/not installed on node 2/);
    expect(criuProblem(2, { path: '/usr/sbin/criu', version: '3.17', preDump: false })).toBe(
      'CRIU 3.17 on node 2 is too old: need >= 4 (older versions cannot restore on current kernels); install a newer criu or set MOSIXVIEW_CRIU',
    );
    const r = cantMoveReasons({ ...base, target: { ...target, criu: { path: '/x', version: '3.17', preDump: false } } });
    expect(r).toEqual([expect.stringMatching(/3\.17 on node 3 is too old/)]);
  });

  it('a target that blocks guests', () => {
    expect(cantMoveReasons({ ...base, target: { ...target, blocksGuests: true } })[0]).toMatch(/node 3 blocks guest/);
  });

  it('files, terminals and sockets', () => {
    const files: MoveFacts['files'] = [
      { pid: 10, where: 'fd 0', kind: 'tty', path: '/dev/pts/3' },
      { pid: 10, where: 'fd 1', kind: 'device', path: '/dev/null' },
      { pid: 10, where: 'fd 4', kind: 'file', path: '/tmp/scratch' },
      { pid: 10, where: 'fd 5', kind: 'file', path: '/home/u/data' },
      { pid: 10, where: 'fd 6', kind: 'tcp', path: 'TCP port 5000 to remote port 22' },
      { pid: 10, where: 'fd 7', kind: 'pipe', path: 'pipe:[1]' },
      { pid: 10, where: 'fd 8', kind: 'pipe', path: 'pipe:[2]', peerOutside: 'process 99 (bash)' },
      { pid: 11, where: 'fd 4', kind: 'file', path: '/tmp/scratch' },
      { pid: 10, where: 'fd 9', kind: 'file', path: '/home/u/gone', deletedSize: 5 << 20 },
    ];
    const r = cantMoveReasons({ ...base, files });
    expect(r).toHaveLength(5);
    expect(r[0]).toMatch(/terminal \/dev\/pts\/3/);
    expect(r[1]).toMatch(/\/tmp\/scratch .* not visible on node 3/);
    expect(r[2]).toMatch(/TCP connections and listening ports cannot move/);
    expect(r[3]).toMatch(/process 99 \(bash\)/);
    expect(r[4]).toMatch(/deleted file of 5 MB/);
  });

  it('shared roots decide visibility on both nodes', () => {
    expect(visibleOn('/home/u/x', { sharedRoots: ['/home'], localRoots: [] }, view)).toBe(true);
    expect(visibleOn('/homework/x', { sharedRoots: ['/home'], localRoots: [] }, view)).toBe(false);
    expect(visibleOn('/tmp/x', view, { sharedRoots: ['/'], localRoots: [] })).toBe(false);
  });

  it('without configured shared roots, what the agent found out decides, and the reason says how it knows', () => {
    const detect = { sharedRoots: [], localRoots: ['/proc'] };
    const facts: MoveFacts = {
      ...base, source: { ...base.source, ...detect }, target: { ...target, ...detect },
      files: [
        { pid: 10, where: 'working directory', kind: 'dir', path: '/tmp/run' },
        { pid: 10, where: 'fd 3', kind: 'file', path: '/tmp/run/job.js' },
        { pid: 10, where: 'mapped file', kind: 'file', path: '/usr/lib/libc.so.6' },
        { pid: 10, where: 'fd 4', kind: 'file', path: '/nowhere/x' },
      ],
      seen: new Map([
        ['/tmp/run', { visible: false, why: 'a marker file written in /tmp/run here is not seen there' }],
        ['/tmp/run/job.js', { visible: false, why: 'a marker file written in /tmp/run here is not seen there' }],
        ['/usr/lib/libc.so.6', { visible: true }],
      ]),
    };
    expect(cantMoveReasons(facts)).toEqual([
      '/tmp/run (working directory of process 10) is not visible on node 3: a marker file written in /tmp/run here is not seen there',
      '/tmp/run/job.js (fd 3 of process 10) is not visible on node 3: a marker file written in /tmp/run here is not seen there',
      '/nowhere/x (fd 4 of process 10) is not visible on node 3: it is outside the shared paths',
    ]);
    // A configured root still overrides what was found; a local root always wins.
    const configured = { sharedRoots: ['/tmp'], localRoots: ['/proc'] };
    expect(cantMoveReasons({ ...facts, source: { ...facts.source, ...configured }, target: { ...target, ...configured }, files: facts.files.slice(0, 3) })).toEqual([]);
    const local = { sharedRoots: [], localRoots: ['/usr'] };
    expect(cantMoveReasons({ ...facts, target: { ...target, ...local }, files: [facts.files[2]!] })).toEqual([
      '/usr/lib/libc.so.6 (mapped file of process 10) is not visible on node 3: it is under /usr, which localRoots names as node-local',
    ]);
  });
});
