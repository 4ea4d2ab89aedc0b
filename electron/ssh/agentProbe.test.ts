/** The probe script of agentDeploy.ts, run by a local sh against fake Node.js binaries that count how they were asked. */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeScript } from './agentDeploy.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fake `node` at DIR/NAME/node printing VERSION for --version; every call is appended to DIR/calls. */
function fakeNode(dir: string, name: string, version: string): string {
  mkdirSync(join(dir, name));
  const p = join(dir, name, 'node');
  writeFileSync(p, `#!/bin/sh\necho "${name} $*" >> ${join(dir, 'calls')}\n[ "$1" = --version ] && echo ${version} && exit 0\necho "${version.slice(1)}"\n`);
  chmodSync(p, 0o755);
  return p;
}

const run = (script: string) => execFileSync('sh', ['-s'], { input: script, encoding: 'utf8' });

describe('the probe for Node.js on a node', () => {
  it('asks each candidate with --version only and stops at the first new enough one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-probe-'));
    dirs.push(dir);
    const old = fakeNode(dir, 'old', 'v16.20.2');
    const good = fakeNode(dir, 'good', 'v20.20.2');
    const other = fakeNode(dir, 'other', 'v22.1.0');
    const out = run(probeScript([old, join(dir, 'missing', 'node'), good, other], join(dir, 'agents'), '1.2.3'));
    expect(out.split('\n').filter((l) => l.startsWith('node='))).toEqual([`node=16.20.2 ${old}`, `node=20.20.2 ${good}`]);
    expect(readFileSync(join(dir, 'calls'), 'utf8')).toBe('old --version\ngood --version\n');
    expect(out).toContain('agent=missing');
    expect(existsSync(join(dir, 'agents', 'agent'))).toBe(true);
  });

  it('goes on past a candidate whose version it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-probe-'));
    dirs.push(dir);
    const odd = fakeNode(dir, 'odd', 'nightly');
    const good = fakeNode(dir, 'good', 'v18.0.0');
    const out = run(probeScript([odd, good], join(dir, 'agents'), '1.2.3'));
    expect(out.split('\n').filter((l) => l.startsWith('node='))).toEqual([`node=nightly ${odd}`, `node=18.0.0 ${good}`]);
  });
});
