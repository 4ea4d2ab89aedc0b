/**
 * What streaming migration added to the peer protocol is checked at the edge like the rest:
 * the byte counts per page channel in mig.restore, the way and the freeze by phase in a
 * migration record, and the first line of a page channel.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from './refusal.test-util.js';
import { PEER_VALIDATORS, pagesHeader } from './peer.validate.js';
import { dict, int, validateRequest } from './validate.js';
import type { JobRecord } from '../jobs/job.js';

const peer = (channel: string, req: unknown) => validateRequest(PEER_VALIDATORS, channel, req);
const ID = '1.100-1-1700000001000';
const JOB: JobRecord = {
  ref: { home: 1, id: 100 }, argv: ['sleep', '60'], cwd: '/home/u', mode: { kind: 'plain' }, dir: '/jobs/1.100',
  startedAt: 1_700_000_000_000, state: 'frozen', where: 0, pid: 4242, pidStart: 1, locked: false, migrations: 0,
  frozenBy: 'checkpoint', moving: { id: ID, from: 1, to: 2 }, stateBeforeFreeze: 'running',
};

describe('mig.restore: what the source sent on each page channel', () => {
  it('takes the counts of one dump, or of pre-copy rounds and the final dump', () => {
    expect(peer('mig.restore', { id: ID, job: JOB, pages: { '': { bytes: 104857600 } } })).toEqual({ id: ID, job: JOB, pages: { '': { bytes: 104857600 } } });
    const rounds = { pre1: { bytes: 5 }, pre2: { bytes: 3 }, final: { bytes: 0 } };
    expect(peer('mig.restore', { id: ID, job: JOB, pages: rounds })).toEqual({ id: ID, job: JOB, pages: rounds });
    expect(peer('mig.restore', { id: ID, job: JOB })).toEqual({ id: ID, job: JOB });
  });

  it('refuses a part that is not a page channel of a migration, and a count that is not one', () => {
    expect(refusal(() => peer('mig.restore', { id: ID, job: JOB, pages: { '../x': { bytes: 1 } } }))).toBe('pages: unknown page channel part "../x": send "" (one dump), "pre1".."pre99" or "final"');
    expect(refusal(() => peer('mig.restore', { id: ID, job: JOB, pages: { pre0: { bytes: 1 } } }))).toMatch(/^pages: unknown page channel part "pre0"/);
    expect(refusal(() => peer('mig.restore', { id: ID, job: JOB, pages: { final: { bytes: -1 } } }))).toBe('pages.final.bytes: expected a byte count (a whole number from 0), got -1');
    expect(refusal(() => peer('mig.restore', { id: ID, job: JOB, pages: { final: { bytes: 1, sha: 'x' } } }))).toBe('pages.final.sha: unknown field: send only bytes');
    expect(refusal(() => peer('mig.restore', { id: ID, job: JOB, pages: [1] }))).toMatch(/^pages: expected the bytes sent on each page channel/);
  });
});

describe('mig.commit: the migration as recorded, with its way and where the freeze went', () => {
  const migration = { from: 1, to: 2, freezeMs: 812.5, bytes: 1 << 20, path: 'one dump', phases: { dumpMs: 400, sendMs: 20, restoreMs: 300, commitMs: 12 } };

  it('takes the way and the phases (commitMs may be left out)', () => {
    expect(peer('mig.commit', { id: ID, migration })).toEqual({ id: ID, migration });
    const { commitMs: _, ...noCommit } = migration.phases;
    expect(peer('mig.commit', { id: ID, migration: { ...migration, path: 'pre-copy', phases: noCommit } })).toEqual({ id: ID, migration: { ...migration, path: 'pre-copy', phases: noCommit } });
    expect(peer('mig.begin', { id: ID, job: { ...JOB, lastMigration: { ...migration, at: 1 } } })).toMatchObject({ id: ID });
  });

  it('refuses a way it does not know and a phase that is not a time', () => {
    expect(refusal(() => peer('mig.commit', { id: ID, migration: { ...migration, path: 'teleport' } }))).toBe('migration.path: expected the way the memory went: "one dump" or "pre-copy", got "teleport"');
    expect(refusal(() => peer('mig.commit', { id: ID, migration: { ...migration, phases: { ...migration.phases, dumpMs: 'slow' } } }))).toBe('migration.phases.dumpMs: expected a time in milliseconds (a number from 0), got "slow"');
    expect(refusal(() => peer('mig.commit', { id: ID, migration: { ...migration, phases: { ...migration.phases, tailMs: 1 } } }))).toBe('migration.phases.tailMs: unknown field: send only dumpMs, sendMs, restoreMs, commitMs');
  });

  it('takes who started the move (admin or balancer) and refuses anyone else', () => {
    for (const by of ['admin', 'balancer']) expect(peer('mig.commit', { id: ID, migration: { ...migration, by } })).toEqual({ id: ID, migration: { ...migration, by } });
    expect(peer('mig.moved', { ref: { home: 1, id: 5 }, where: 2, migration: { ...migration, by: 'balancer', at: 1 } })).toMatchObject({ migration: { by: 'balancer' } });
    expect(refusal(() => peer('mig.commit', { id: ID, migration: { ...migration, by: 'cron' } }))).toBe('migration.by: expected who started the move: "admin" or "balancer", got "cron"');
  });
});

describe('the first line of a page channel', () => {
  it('takes a migration id, alone or with its part, and the sending node', () => {
    for (const pages of [ID, `${ID}--pre1`, `${ID}--pre12`, `${ID}--final`]) expect(pagesHeader.check({ pages, from: 1 }, '')).toEqual({ pages, from: 1 });
  });

  it('refuses a name that is not a directory of incoming/, a part it does not know, a node that is none, and other fields', () => {
    expect(refusal(() => pagesHeader.check({ pages: '../../etc', from: 1 }, ''))).toMatch(/^pages: expected a migration id .*got "..\/..\/etc"$/);
    expect(refusal(() => pagesHeader.check({ pages: `${ID}--pre0`, from: 1 }, ''))).toBe(`pages: expected a page channel name: a migration id, then nothing, "--pre1".."--pre99" or "--final", got "${ID}--pre0"`);
    expect(refusal(() => pagesHeader.check({ pages: `${ID}--final--final`, from: 1 }, ''))).toMatch(/^pages: expected a page channel name/);
    expect(refusal(() => pagesHeader.check({ pages: ID, from: 0 }, ''))).toMatch(/^from: expected a node number/);
    expect(refusal(() => pagesHeader.check({ pages: ID, from: 1, dir: '/tmp' }, ''))).toBe('dir: unknown field: send only pages, from');
  });
});

describe('dict', () => {
  it('refuses "__proto__" as a name, which would set the prototype instead of adding an entry', () => {
    const counts = dict(int(0, 9), 4);
    expect(refusal(() => counts.check(JSON.parse('{"__proto__": 1}'), 'm'))).toBe('m.__proto__: not a name any request takes');
  });
});
