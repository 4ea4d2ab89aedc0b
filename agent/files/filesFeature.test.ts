import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listDir } from './filesFeature.js';

describe('listDir', () => {
  it('lists files, directories, links and which files are executable', () => {
    const d = mkdtempSync(join(tmpdir(), 'mv-ls-'));
    writeFileSync(join(d, 'job.sh'), '#!/bin/sh\n');
    chmodSync(join(d, 'job.sh'), 0o755);
    writeFileSync(join(d, 'data.txt'), 'x'.repeat(10));
    mkdirSync(join(d, 'sub'));
    symlinkSync(join(d, 'job.sh'), join(d, 'link'));
    const r = listDir(d);
    expect(r.path).toBe(d);
    expect(r.entries).toEqual([
      { name: 'data.txt', type: 'file', size: 10, executable: false },
      { name: 'job.sh', type: 'file', size: 10, executable: true },
      { name: 'link', type: 'link', size: 10, executable: true },
      { name: 'sub', type: 'dir', size: expect.any(Number), executable: false },
    ]);
  });

  it('says what is wrong with a path', () => {
    expect(() => listDir('/nonexistent-dir-xyz')).toThrow(/does not exist/);
    expect(() => listDir('/etc/hostname')).toThrow(/is not a directory/);
  });
});
