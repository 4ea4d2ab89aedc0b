import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJobsConfig } from './config.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mvjobs-cfg-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jobs.json defaults', () => {
  it('trusts no path as shared until the agent has seen it shared; only kernel and per-boot file systems are local for sure', () => {
    const c = loadJobsConfig(dir, {});
    // "/" would say every file is on every node: the restore then fails on a cluster without NFS.
    expect(c.sharedRoots).toEqual([]);
    expect(c.localRoots).toEqual(['/proc', '/sys', '/run', '/dev/shm']);
  });

  it('configured roots still override, from jobs.json or the environment', () => {
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify({ sharedRoots: ['/home'], localRoots: ['/scratch'] }));
    expect(loadJobsConfig(dir, {})).toMatchObject({ sharedRoots: ['/home'], localRoots: ['/scratch'] });
    expect(loadJobsConfig(dir, { MOSIXVIEW_SHARED_ROOTS: '/nfs:/home' })).toMatchObject({ sharedRoots: ['/nfs', '/home'] });
  });
});
