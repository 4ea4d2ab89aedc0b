/** Whose a job or process is, and the account a job of another user runs as. */
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../shared/jobs/job.js';
import { accountHere, ownedBy } from './jobOwners.js';
import { jobEnv, parsePasswdLine } from './accounts.js';
import { uidFromStatus } from './procTree.js';

const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  ref: { home: 1, id: 496 }, argv: ['x'], cwd: '/', mode: { kind: 'plain' }, dir: '/d', startedAt: 0, state: 'running', where: 0, locked: false, migrations: 0, ...over,
});
const names = (uid: number) => (uid === 1501 ? 'bob' : `uid ${uid}`);

describe('whose a request\'s target is', () => {
  it("a job is its owner's; a job recorded before owners were is root's", () => {
    const look = (r: JobRecord | undefined) => ({ jobOf: () => r, uidOf: () => 1501 });
    expect(ownedBy({ ref: { home: 1, id: 496 } }, look(job({ owner: { uid: 1500, user: 'alice' } })), names)).toEqual({ what: 'job 1.496', uid: 1500, user: 'alice' });
    expect(ownedBy({ pid: 496 }, look(job()), names)).toEqual({ what: 'job 1.496', uid: 0, user: 'root' });
  });

  it("a plain process is its uid's; an unknown one is nobody's (the handler says it is not there)", () => {
    expect(ownedBy({ pid: 77 }, { jobOf: () => undefined, uidOf: () => 1501 }, names)).toEqual({ what: 'process 77', uid: 1501, user: 'bob' });
    expect(ownedBy({ pid: 77 }, { jobOf: () => undefined, uidOf: () => undefined }, names)).toBeUndefined();
  });

  it('a process whose uids differ (a setuid program) counts as root\'s', () => {
    expect(uidFromStatus('Name:\tx\nUid:\t1500\t1500\t1500\t1500\nGid:\t1\t1\t1\t1\n')).toBe(1500);
    expect(uidFromStatus('Uid:\t1500\t0\t0\t0\n')).toBe(0);
    expect(uidFromStatus('Name:\tx\n')).toBeUndefined();
  });
});

describe("a job of another user, on each node it visits", () => {
  it('needs that uid on the node, or says what to do', () => {
    expect(() => accountHere({ uid: 1500, user: 'alice' }, 'node 3', 'ECANTMOVE', () => undefined)).toThrow(
      "node 3 has no account with uid 1500 (alice at the job's home): give alice the same uid on every node (the same passwd, LDAP or NIS)",
    );
    const a = { uid: 1500, gid: 100, user: 'alice', home: '/home/alice', shell: '/bin/bash' };
    expect(accountHere({ uid: 1500, user: 'alice' }, 'node 3', 'EPERM', () => a)).toBe(a);
  });

  it("reads passwd lines; HOME, USER and LOGNAME are the account's, never the caller's or the agent's", () => {
    expect(parsePasswdLine('alice:x:1500:100:Alice:/home/alice:/bin/bash')).toEqual({ user: 'alice', uid: 1500, gid: 100, home: '/home/alice', shell: '/bin/bash' });
    expect(parsePasswdLine('broken:x:abc:1')).toBeUndefined();
    const a = parsePasswdLine('alice:x:1500:100::/home/alice:/bin/bash')!;
    expect(jobEnv(a, { PATH: '/p', HOME: '/root', USER: 'root', X: '1' })).toEqual({ PATH: '/p', X: '1', HOME: '/home/alice', USER: 'alice', LOGNAME: 'alice' });
    expect(jobEnv(a, undefined)).toMatchObject({ HOME: '/home/alice', USER: 'alice', SHELL: '/bin/bash' });
  });
});
