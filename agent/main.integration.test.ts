/**
 * The built agent bundle (dist/agent/mosixview-agent.cjs) as the GUI runs it: `--version`,
 * `attach` starting or reusing the daemon, `stop`, and a stale socket left by kill -9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { TOOLS } from './cli/installTools.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachAndHello, type Attached } from './daemon/attachClient.test-util.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const BUNDLE = join(ROOT, 'dist/agent/mosixview-agent.cjs');
const PKG_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const children: ChildProcessWithoutNullStreams[] = [];
const daemonPids = new Set<number>();
let stateDir: string;
let env: NodeJS.ProcessEnv;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function untilGone(pid: number, timeoutMs = 10000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < end) await sleep(50);
  return !alive(pid);
}

/** Runs `attach` and says hello through it, as the GUI does over SSH. */
async function attach(): Promise<Attached> {
  const a = await attachAndHello(BUNDLE, env, [], (c) => children.push(c));
  daemonPids.add(a.hello.pid);
  return a;
}

function detach(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.stdin.end();
  });
}

beforeAll(() => {
  if (!existsSync(BUNDLE)) execFileSync(process.execPath, ['build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  stateDir = mkdtempSync(join(tmpdir(), 'mva-'));
  // A speed the admin set keeps daemon start-up quick: nothing is measured.
  writeFileSync(join(stateDir, 'speed.json'), JSON.stringify({ source: 'admin', speed: 40000 }) + '\n');
  env = { ...process.env, MOSIXVIEW_STATE_DIR: stateDir };
}, 120000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  try {
    execFileSync(process.execPath, [BUNDLE, 'stop'], { env, timeout: 10000 });
  } catch {
    /* killed below */
  }
  for (const pid of daemonPids) {
    if (pid !== process.pid && alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(stateDir, { recursive: true, force: true });
}, 30000);

describe('the built agent bundle', () => {
  it('--version prints <package version>+<8 hex of the bundle hash>', () => {
    const out = execFileSync(process.execPath, [BUNDLE, '--version'], { encoding: 'utf8' }).trim();
    expect(out).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{8}$/);
    const hash = createHash('sha256').update(readFileSync(BUNDLE)).digest('hex').slice(0, 8);
    expect(out).toBe(`${PKG_VERSION}+${hash}`);
  });

  it('every tool answers --version and --help on stdout with exit status 0, needing no daemon', async () => {
    const version = execFileSync(process.execPath, [BUNDLE, '--version'], { encoding: 'utf8' }).trim();
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
        const c = execFile(process.execPath, [BUNDLE, ...args], { encoding: 'utf8', env }, (e, stdout, stderr) => done({ status: e ? (e.code as number) : 0, stdout, stderr }));
        c.stdin?.end();
      });
    const answers = await Promise.all(TOOLS.map(async (tool) => ({ tool, v: await run([tool, '--version']), h: await run([tool, '--help']) })));
    for (const { tool, v, h } of answers) {
      expect([v.status, v.stdout.trim(), v.stderr], `${tool} --version`).toEqual([0, `${tool} (Mosixview) ${version}`, '']);
      expect([h.status, h.stderr], `${tool} --help`).toEqual([0, '']);
      expect(h.stdout, `${tool} --help`).toMatch(new RegExp(`^usage: ${tool} `));
    }
  }, 120_000);

  it('install-tools DIR puts the openMosix-named tools there, each running this agent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-tools-'));
    const out = execFileSync(process.execPath, [BUNDLE, 'install-tools', join(dir, 'bin')], { encoding: 'utf8' });
    expect(out).toMatch(/^installed mosctl, mosixcollector, mosrun, migrate, mps, .* in .*\/bin/);
    expect(readdirSync(join(dir, 'bin')).sort()).toEqual([...TOOLS].sort());
    expect(execFileSync(join(dir, 'bin', 'mosctl'), ['-h'], { encoding: 'utf8' })).toMatch(/^usage: mosctl /);
    const bad = spawnSync(process.execPath, [BUNDLE, 'install-tools'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/install-tools needs the directory/);
  });

  it('attach starts a daemon, a second attach reuses it, stop stops it', async () => {
    const a = await attach();
    expect(a.hello.pid).not.toBe(a.child.pid);
    expect(a.hello.stateDir).toBe(stateDir);
    expect(alive(a.hello.pid)).toBe(true);
    const version = execFileSync(process.execPath, [BUNDLE, '--version'], { encoding: 'utf8' }).trim();
    expect(a.hello.version).toBe(version);
    expect(JSON.parse(readFileSync(join(stateDir, 'agent.pid'), 'utf8'))).toMatchObject({ pid: a.hello.pid, version });

    const b = await attach();
    expect(b.hello.pid).toBe(a.hello.pid);

    // Closing an attach's stdin ends it cleanly and leaves the daemon running.
    expect(await detach(a.child)).toBe(0);
    expect(await detach(b.child)).toBe(0);
    expect(alive(a.hello.pid)).toBe(true);

    const out = execFileSync(process.execPath, [BUNDLE, 'stop'], { env, encoding: 'utf8', timeout: 15000 });
    expect(out).toContain('agent stopped');
    expect(await untilGone(a.hello.pid)).toBe(true);
    expect(existsSync(join(stateDir, 'agent.sock'))).toBe(false);

    const again = execFileSync(process.execPath, [BUNDLE, 'stop'], { env, encoding: 'utf8', timeout: 15000 });
    expect(again).toContain('no agent was running');
  });

  it('the collector is started, checkpointed, rotated and stopped through the agent, as the GUI does, each with its answer', async () => {
    const { child, ep } = await attach();
    try {
      const started = await ep.request('history.start', null);
      const pid = Number(/^mosixcollector started \(pid (\d+)\)/.exec(started.message)?.[1]);
      expect(started.status).toMatchObject({ running: true, pid });
      await expect(ep.request('history.start', null)).rejects.toThrow(/already running \(pid \d+\)/);

      const cp = await ep.request('history.checkpoint', { label: 'before the upgrade' });
      expect(cp.message).toMatch(/^checkpoint "before the upgrade" written at \d{4}-/);
      const series = await ep.request('history.series', { buckets: 100, metrics: ['load'] });
      expect(series.checkpoints.map((c) => c.label)).toEqual(['before the upgrade']);
      await expect(ep.request('history.checkpoint', { label: 'x'.repeat(201) })).rejects.toMatchObject({ code: 'EINVAL' });

      const rotated = await ep.request('history.rotate', null);
      const backup = /^history saved as (\S+); a new one started$/.exec(rotated.message)?.[1];
      expect(backup).toMatch(/^mosixview-\d{8}-\d{6}/);
      expect(rotated.status.backups).toContain(backup);
      expect((await ep.request('history.series', { backup: backup!, buckets: 100, metrics: ['load'] })).checkpoints).toHaveLength(1);
      expect((await ep.request('history.series', { buckets: 100, metrics: ['load'] })).checkpoints).toHaveLength(0);

      const stopped = await ep.request('history.stop', null, 30_000);
      expect(stopped.message).toBe(`mosixcollector stopped (pid ${pid})`);
      expect(stopped.status.running).toBe(false);
      expect(await untilGone(pid)).toBe(true);
      expect((await ep.request('history.stop', null)).message).toBe('mosixcollector is not running');
      await expect(ep.request('history.checkpoint', { label: '' })).rejects.toThrow(/the collector is not running/);
      await expect(ep.request('history.rotate', null)).rejects.toThrow(/the collector is not running/);
    } finally {
      await detach(child);
    }
  });

  it('a daemon killed with -9 leaves a stale socket that the next attach replaces', async () => {
    const a = await attach();
    const old = a.hello.pid;
    await detach(a.child);
    process.kill(old, 'SIGKILL');
    expect(await untilGone(old)).toBe(true);
    // The socket file is still there, with nobody listening.
    expect(existsSync(join(stateDir, 'agent.sock'))).toBe(true);

    const b = await attach();
    expect(b.hello.pid).not.toBe(old);
    expect(alive(b.hello.pid)).toBe(true);
    await detach(b.child);
  });
});
