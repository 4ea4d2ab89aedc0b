/**
 * A node's packaged agent runs under systemd (build/systemd/mosixview-agent.service). The GUI's
 * `attach` carries its own agent version; it must attach to the supervised daemon as it is,
 * never stop it and start an unsupervised daemon of its own version (which systemd would not
 * restart, and which the next package upgrade would fight). An unsupervised daemon of another
 * version is still replaced (the GUI's own earlier upload).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachAndHello } from './attachClient.test-util.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BUNDLE = join(ROOT, 'dist/agent/mosixview-agent.cjs');
const children: Array<ChildProcess | ChildProcessWithoutNullStreams> = [];
let dir: string;
let packaged: string;

beforeAll(() => {
  if (!existsSync(BUNDLE)) execFileSync(process.execPath, ['build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'mv-systemd-'));
  // The "packaged" agent: another build, so another version (the version carries the bundle's hash).
  packaged = join(dir, 'mosixview-agent.cjs');
  copyFileSync(BUNDLE, packaged);
  writeFileSync(packaged, readFileSync(packaged, 'utf8') + '\n// packaged build\n');
}, 120000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}, 30000);

const version = (bundle: string) => execFileSync(process.execPath, [bundle, '--version'], { encoding: 'utf8' }).trim();

async function daemonOf(bundle: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<ChildProcess> {
  const d = spawn(process.execPath, [bundle, 'daemon', ...args], { env, stdio: 'ignore' });
  children.push(d);
  for (let i = 0; i < 200 && !existsSync(join(env.MOSIXVIEW_STATE_DIR!, 'agent.pid')); i++) await new Promise((r) => setTimeout(r, 100));
  return d;
}

async function stateDir(name: string): Promise<NodeJS.ProcessEnv> {
  const d = join(dir, name);
  execFileSync('mkdir', ['-p', d]);
  writeFileSync(join(d, 'speed.json'), JSON.stringify({ calibrated: 40000 }) + '\n');
  const env: NodeJS.ProcessEnv = { ...process.env, MOSIXVIEW_STATE_DIR: d };
  delete env.INVOCATION_ID;
  return env;
}

describe('attach and a daemon of another version', () => {
  it('keeps a daemon run by systemd and says which version it is', async () => {
    expect(version(packaged)).not.toBe(version(BUNDLE));
    const env = await stateDir('supervised');
    // systemd gives every service an INVOCATION_ID (systemd.exec(5)).
    const d = await daemonOf(packaged, { ...env, INVOCATION_ID: '0123456789abcdef0123456789abcdef' });
    const a = await attachAndHello(BUNDLE, env, [], (c) => children.push(c));
    expect(a.hello.pid).toBe(d.pid);
    expect(a.hello.version).toBe(version(packaged));
    expect(a.hello.supervisor).toBe('systemd');
    a.child.stdin.end();
    expect(d.exitCode).toBeNull();
    spawnSync(process.execPath, [BUNDLE, 'stop'], { env, timeout: 10000 });
  }, 90000);

  it('a daemon started by attach inside a service does not claim to be the service', async () => {
    const env = await stateDir('inside-a-service');
    const a = await attachAndHello(BUNDLE, { ...env, INVOCATION_ID: 'fedcba9876543210fedcba9876543210' }, [], (c) => children.push(c));
    expect(a.hello.supervisor).toBeUndefined();
    a.child.stdin.end();
    spawnSync(process.execPath, [BUNDLE, 'stop'], { env, timeout: 10000 });
  }, 90000);

  it('replaces an unsupervised daemon of another version with its own', async () => {
    const env = await stateDir('unsupervised');
    const d = await daemonOf(packaged, env);
    const a = await attachAndHello(BUNDLE, env, [], (c) => children.push(c));
    expect(a.hello.pid).not.toBe(d.pid);
    expect(a.hello.version).toBe(version(BUNDLE));
    expect(a.hello.supervisor).toBeUndefined();
    a.child.stdin.end();
    spawnSync(process.execPath, [BUNDLE, 'stop'], { env, timeout: 10000 });
  }, 90000);
});

describe('the packaged agent at its start (ExecStart ... daemon --map /etc/mosixview/hpc.map)', () => {
  it('joins the cluster its map file describes, and a GUI attaching later sees that map, from that file', async () => {
    const env = await stateDir('map-file');
    const map = join(dir, 'hpc.map');
    writeFileSync(map, `# this cluster\n1 ${hostname()} 1\n2 10.77.0.2 1\n`);
    const d = await daemonOf(packaged, { ...env, INVOCATION_ID: '00112233445566778899aabbccddeeff' }, ['--map', map]);
    const a = await attachAndHello(BUNDLE, env, [], (c) => children.push(c));
    expect(a.hello.pid).toBe(d.pid);
    const info = await a.ep.request('cluster.info', null);
    expect(info).toMatchObject({ nodeId: 1, mapBy: 'file', mapFile: map, map: [{ id: 1, host: hostname() }, { id: 2, host: '10.77.0.2' }] });
    a.child.stdin.end();
    spawnSync(process.execPath, [BUNDLE, 'stop'], { env, timeout: 10000 });
  }, 90000);

  it('refuses an option it does not know, naming it', () => {
    const r = spawnSync(process.execPath, [packaged, 'daemon', '--colour'], { encoding: 'utf8', timeout: 10000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('daemon: unknown option "--colour" (usage: daemon [--map FILE] [--ready-fd N])\n');
  });
});
