import { describe, expect, it } from 'vitest';
import { cantMoveReasons } from './cantMove.js';
import { checkpointsOtherUids, otherUidReason } from './otherUids.js';

const status = (capEff: string) => `Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t${capEff}\n`;
const source = { node: 1, criu: { path: '/c', version: '4.1.1', preDump: false }, sharedRoots: ['/'], localRoots: [] };
const alice = { uid: 1500, user: 'alice' };

describe('a job of another user than the agent', () => {
  it('can be checkpointed only with CAP_SYS_RESOURCE (CRIU reads its limits with prlimit)', () => {
    expect(checkpointsOtherUids(status('000001ffffffffff'))).toBe(true);
    // This project's build machines: root without bit 24.
    expect(checkpointsOtherUids(status('000001fffeffffff'))).toBe(false);
    expect(checkpointsOtherUids('Name:\tnode\n')).toBe(false);
  });

  it('cannot move where CRIU may not checkpoint it, and says why and what to do', () => {
    const base = { isJob: true, locked: false, source, files: [] };
    expect(cantMoveReasons({ ...base, otherOwner: alice, checkpointsOtherUids: false })).toEqual([otherUidReason(alice)]);
    expect(otherUidReason(alice)).toBe(
      "CRIU on this node may not checkpoint a job of another user (alice, uid 1500): the agent lacks CAP_SYS_RESOURCE (a container may drop it); run the agent as root with every capability",
    );
    expect(cantMoveReasons({ ...base, otherOwner: alice, checkpointsOtherUids: true })).toEqual([]);
    expect(cantMoveReasons(base)).toEqual([]);
  });
});

describe('the process box', () => {
  it("marks another user's job as unable to move when CRIU here may not checkpoint it", async () => {
    const { annotateJobs } = await import('./annotate.js');
    const rec = { ref: { home: 1, id: 10 }, owner: alice, argv: ['x'], cwd: '/home/alice', mode: { kind: 'plain' as const }, dir: '/j', startedAt: 1, state: 'running' as const, where: 0, pid: 10, locked: false, migrations: 0 };
    const procs = [{ pid: 10, ppid: 1, user: 'alice', state: 'S', cpu: 0, rss: 0, nice: 0, command: 'x' }] as never;
    const [row] = annotateJobs(procs, { records: [rec], here: 1, user: 'root', criu: undefined, ownerProblem: (o) => (o ? otherUidReason(o) : undefined) });
    expect(row!.cantMove).toBe(otherUidReason(alice));
  });
});
