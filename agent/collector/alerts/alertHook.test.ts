import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertHook, type HookMessage } from './alertHook.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function script(body: string): string {
  const d = mkdtempSync(join(tmpdir(), 'mvhook-'));
  dirs.push(d);
  const f = join(d, 'hook');
  writeFileSync(f, `#!/bin/sh\n${body}\n`);
  chmodSync(f, 0o755);
  return f;
}
const msg: HookMessage = { event: 'raised', alert: { rule: 'load', node: 2, since: 1, raisedAt: 2, text: 'load 180% (above 90%) for more than 60 s' } };

describe('AlertHook', () => {
  it('gives the program the alert as JSON on stdin, its arguments as they are (no shell)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mvhook-')), 'got');
    dirs.push(join(out, '..'));
    const f = script(`cat > "$1"; printf '%s' "$2" > "$1.arg"`);
    const logged: string[] = [];
    await new AlertHook((s) => logged.push(s)).run({ argv: [f, out, 'a b;$(x)'], timeoutS: 5 }, msg);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(msg);
    expect(readFileSync(`${out}.arg`, 'utf8')).toBe('a b;$(x)');
    expect(logged).toEqual([]);
  });

  it('logs a failure with its exit code and stderr', async () => {
    const logged: string[] = [];
    await new AlertHook((s) => logged.push(s)).run({ argv: [script('echo no mail server >&2; exit 3'), 'x'], timeoutS: 5 }, msg);
    expect(logged).toEqual([expect.stringMatching(/^the alert hook \/.*\/hook \(raised load on node 2\) failed: exit code 3: no mail server$/)]);
  });

  it('logs a program that does not exist', async () => {
    const logged: string[] = [];
    await new AlertHook((s) => logged.push(s)).run({ argv: ['/nonexistent/pager'], timeoutS: 5 }, msg);
    expect(logged).toEqual([expect.stringMatching(/failed: it could not be started: spawn \/nonexistent\/pager ENOENT$/)]);
  });

  it('kills a program that outlives its timeout', async () => {
    const logged: string[] = [];
    await new AlertHook((s) => logged.push(s)).run({ argv: [script('exec sleep 30')], timeoutS: 1 }, msg);
    expect(logged).toEqual([expect.stringMatching(/failed: it did not finish within 1 s: killed$/)]);
  });

  it('a program that does not read its stdin is no failure', async () => {
    const logged: string[] = [];
    await new AlertHook((s) => logged.push(s)).run({ argv: [script('exit 0')], timeoutS: 5 }, msg);
    expect(logged).toEqual([]);
  });
});
