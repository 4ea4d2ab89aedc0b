import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { claimPidFile, isCollector, releasePidFile } from './pidFile.js';

const deadPid = (): number => spawnSync('true').pid!; // exited and reaped: nobody has it (for now)

describe('pid file', () => {
  it('claims a free pid file and releases only its own', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'mvpid-')), 'c.pid');
    expect(claimPidFile(f, 4242)).toEqual({ ok: true });
    expect(readFileSync(f, 'utf8')).toBe('4242\n');
    releasePidFile(f, 1);
    expect(existsSync(f)).toBe(true);
    releasePidFile(f, 4242);
    expect(existsSync(f)).toBe(false);
  });
  it('a stale pid file (process gone, or a PID that is not a collector) does not block a start', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'mvpid-')), 'c.pid');
    writeFileSync(f, `${deadPid()}\n`);
    expect(claimPidFile(f, 777)).toEqual({ ok: true });
    writeFileSync(f, `${process.pid}\n`); // alive, but vitest is not a collector
    expect(claimPidFile(f, 778)).toEqual({ ok: true });
  });
  it('recognises a collector by its command line', () => {
    expect(isCollector(process.pid, () => 'node\0/x/mosixview-agent.cjs\0mosixcollector\0--run\0')).toBe(true);
    expect(isCollector(process.pid, () => 'node\0server.js\0')).toBe(false);
    expect(isCollector(deadPid(), () => 'mosixcollector')).toBe(false);
  });
});
