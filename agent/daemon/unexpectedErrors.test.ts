/**
 * An error nothing caught, in any callback of the daemon (which may hold jobs mid-migration):
 * logged with its stack and survived; but the same error over and over, or a state dir that
 * cannot be written, ends the daemon with a non-zero status so systemd restarts it.
 * The daemon runs for real in a child process, bundled from the sources for this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentHello, AgentRequests } from '../../shared/protocol/agent.js';
import { EXIT_REPEATING, EXIT_STATE_DIR, REPEAT_LIMIT, UnexpectedErrors } from './unexpectedErrors.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let work: string;
let bundle: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mv-unexpected-'));
  // Its own directory (not ".../agent/"): the daemon installs no tool wrappers next to it.
  bundle = join(work, 'bundle', 'mosixview-agent.cjs');
  await build({ entryPoints: [join(ROOT, 'agent/main.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'error' });
}, 60_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

interface Daemon {
  child: ChildProcess;
  stateDir: string;
  log: () => string;
  exited: Promise<number | null>;
}

async function startDaemon(name: string): Promise<Daemon> {
  const stateDir = join(work, name);
  mkdirSync(stateDir);
  // A speed the admin set keeps the start quick: nothing is measured.
  writeFileSync(join(stateDir, 'speed.json'), JSON.stringify({ source: 'admin', speed: 40000 }) + '\n');
  const child = spawn(process.execPath, [bundle, 'daemon'], {
    env: { ...process.env, MOSIXVIEW_STATE_DIR: stateDir, MOSIXVIEW_TEST_FAULTS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  for (let i = 0; i < 200 && !log.includes('serving'); i++) await sleep(50);
  if (!log.includes('serving')) throw new Error(`the daemon did not start:\n${log}`);
  return { child, stateDir, log: () => log, exited };
}

async function hello(stateDir: string): Promise<AgentHello> {
  const sock = connect(join(stateDir, 'agent.sock'));
  await new Promise<void>((r, j) => (sock.once('connect', () => r()), sock.once('error', j)));
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>>((l) => sock.write(l), {}, { timeoutMs: 5000 });
  sock.on('data', (d: Buffer) => ep.receive(d));
  try {
    return await ep.request('hello', { client: 'cli', version: 'test' });
  } finally {
    sock.destroy();
  }
}

/** Makes the daemon throw from a timer, and waits until it has logged it (or exited). */
async function fault(d: Daemon, n = 1): Promise<void> {
  const count = () => d.log().split('test fault: thrown in a timer').length - 1;
  const before = count();
  for (let i = 0; i < n; i++) {
    d.child.kill('SIGUSR2');
    await sleep(20);
  }
  for (let i = 0; i < 200 && count() < before + n && d.child.exitCode === null; i++) await sleep(25);
}

describe('the daemon and errors nothing caught', () => {
  it('logs an uncaught exception with its stack and goes on serving', async () => {
    const d = await startDaemon('survives');
    const { pid } = await hello(d.stateDir);
    await fault(d, 3);
    expect(d.child.exitCode).toBe(null);
    expect(d.log()).toMatch(/uncaught exception \(the daemon goes on\): Error: test fault: thrown in a timer on SIGUSR2\n\s+at /);
    expect((await hello(d.stateDir)).pid).toBe(pid);
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
  });

  it('exits non-zero when the same error repeats too often, for systemd to restart it', async () => {
    const d = await startDaemon('repeats');
    await fault(d, REPEAT_LIMIT + 1);
    expect(await d.exited).toBe(EXIT_REPEATING);
    expect(d.log()).toMatch(new RegExp(`the same error ${REPEAT_LIMIT + 1} times within 60 s: exiting`));
  });

  it('exits non-zero when its state dir cannot be written any more', async () => {
    const d = await startDaemon('statedir');
    await hello(d.stateDir);
    // A file where the directory was: nothing can be written there, not even as root.
    renameSync(d.stateDir, `${d.stateDir}.gone`);
    writeFileSync(d.stateDir, 'not a directory');
    await fault(d);
    expect(await d.exited).toBe(EXIT_STATE_DIR);
    expect(d.log()).toMatch(/cannot write its state dir .*statedir.*: exiting/);
  });
});

describe('UnexpectedErrors', () => {
  function policy(probe: () => void = () => undefined) {
    const logs: string[] = [];
    const exits: number[] = [];
    let now = 1_000_000;
    const p = new UnexpectedErrors({ stateDir: '/state', log: (l) => logs.push(l), exit: (c) => exits.push(c), probeStateDir: probe, now: () => now });
    return { p, logs, exits, advance: (ms: number) => (now += ms) };
  }
  const boom = () => new Error('boom');

  it('counts an error as the same by its message and where it was thrown', () => {
    const { p, exits } = policy();
    for (let i = 0; i < REPEAT_LIMIT; i++) p.handle('uncaught exception', boom());
    p.handle('uncaught exception', new Error('other'));
    p.handle('unhandled rejection', 'a string');
    expect(exits).toEqual([]);
    p.handle('uncaught exception', boom());
    expect(exits).toEqual([EXIT_REPEATING]);
  });

  it('forgets repeats older than the window', () => {
    const { p, exits, advance } = policy();
    for (let i = 0; i < 5 * REPEAT_LIMIT; i++) {
      p.handle('uncaught exception', boom());
      advance(60_000 / (REPEAT_LIMIT - 1));
    }
    expect(exits).toEqual([]);
  });

  it('probes the state dir at most every few seconds, and exits when it fails', () => {
    let probes = 0;
    let broken = false;
    const { p, exits, logs, advance } = policy(() => {
      probes++;
      if (broken) throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    });
    p.handle('uncaught exception', new Error('a'));
    p.handle('uncaught exception', new Error('b'));
    expect(probes).toBe(1);
    broken = true;
    advance(10_000);
    p.handle('uncaught exception', new Error('c'));
    expect(exits).toEqual([EXIT_STATE_DIR]);
    expect(logs.at(-1)).toMatch(/cannot write its state dir \/state \(EROFS: read-only file system\): exiting/);
  });
});
