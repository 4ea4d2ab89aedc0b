import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogFile } from './logFile.js';

describe('LogFile', () => {
  it('rotates by size and keeps a few generations', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'logfile-')), 'agent.log');
    const f = new LogFile(path, 100, 2);
    const line = (n: number) => `${String(n).padStart(2, '0')} ${'x'.repeat(46)}\n`; // 50 bytes
    for (let n = 1; n <= 7; n++) f.append(line(n));
    expect(readFileSync(path, 'utf8')).toBe(line(7));
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(line(5) + line(6));
    expect(readFileSync(`${path}.2`, 'utf8')).toBe(line(3) + line(4));
    expect(existsSync(`${path}.3`)).toBe(false);
  });

  it('appends to the file that is there, by name (after logrotate moved the old one)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'logfile-')), 'agent.log');
    writeFileSync(path, 'before\n');
    const f = new LogFile(path, 1000, 2);
    f.append('after\n');
    expect(readFileSync(path, 'utf8')).toBe('before\nafter\n');
  });
});
