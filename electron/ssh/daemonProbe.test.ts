/** The probe's lines that find a running daemon, run by a local sh against a real unix socket. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonProbeLines, parseDaemonProbe } from './daemonProbe.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function probe(env: NodeJS.ProcessEnv): (key: string) => string[] {
  const out = execFileSync('sh', ['-s'], { input: daemonProbeLines().join('\n') + '\n', encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env } });
  const lines = out.split('\n');
  return (k) => lines.filter((l) => l.startsWith(`${k}=`)).map((l) => l.slice(k.length + 1));
}

async function stateDir(withSocket: boolean, pid?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mv-daemon-probe-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  if (withSocket) {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(join(dir, 'agent.sock'), r));
    cleanups.unshift(() => new Promise<void>((r) => server.close(() => r())));
  }
  if (pid !== undefined) writeFileSync(join(dir, 'agent.pid'), pid);
  return dir;
}

describe('finding the running daemon from the deploy probe', () => {
  it("finds the daemon's socket and version in MOSIXVIEW_STATE_DIR, as attach would, with the login's uid", async () => {
    const dir = await stateDir(true, JSON.stringify({ pid: 4242, version: '1.2.3+abc' }) + '\n');
    expect(parseDaemonProbe(probe({ MOSIXVIEW_STATE_DIR: dir }))).toEqual({ socket: join(dir, 'agent.sock'), version: '1.2.3+abc', uid: process.getuid!() });
  });

  it('finds none without a socket, without a pid file, or with a pid file that is not the daemon\'s', async () => {
    const noSocket = await stateDir(false, JSON.stringify({ pid: 1, version: '1' }));
    expect(parseDaemonProbe(probe({ MOSIXVIEW_STATE_DIR: noSocket }))).toBeUndefined();
    const noPid = await stateDir(true);
    expect(parseDaemonProbe(probe({ MOSIXVIEW_STATE_DIR: noPid }))).toBeUndefined();
    const garbage = await stateDir(true, 'not json');
    expect(parseDaemonProbe(probe({ MOSIXVIEW_STATE_DIR: garbage }))).toBeUndefined();
  });

  it('reads a path with spaces and quotes whole', async () => {
    const parent = mkdtempSync(join(tmpdir(), "mv probe 'q' "));
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    const dir = join(parent, 'state dir');
    execFileSync('mkdir', [dir]);
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(dir, 'agent.sock'), r));
    cleanups.unshift(() => new Promise<void>((r) => server.close(() => r())));
    writeFileSync(join(dir, 'agent.pid'), JSON.stringify({ pid: 1, version: 'v' }));
    expect(parseDaemonProbe(probe({ MOSIXVIEW_STATE_DIR: dir }))?.socket).toBe(join(dir, 'agent.sock'));
  });
});
