/**
 * A cold node over a real sshd with the built agent: the GUI uploads the agent, starts the
 * daemon from the login shell and talks to its socket, with no `attach` process on the node;
 * where sshd forbids streamlocal it relays through attach to the daemon it started, and a node
 * the admin stopped is left to attach, which says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import { ADMIN_STOP_FILE, ATTACH_EXIT_STOPPED, type AgentHello, type AgentRequests } from '../../shared/protocol/agent.js';
import type { AgentChannel } from '../core/agentChannel.js';
import { SshLauncher } from '../core/sshLauncher.js';
import type { AgentBundle } from '../core/agentBundle.js';
import type { NodeTarget } from '../core/profile.js';
import { startSshd, type Sshd } from './sshdFixture.test-util.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BUNDLE = join(ROOT, 'dist/agent/mosixview-agent.cjs');
let bundle: AgentBundle;
const setups: Setup[] = [];

interface Setup {
  sshd: Sshd;
  stateDir: string;
  node: NodeTarget;
}

async function setUp(streamLocal: boolean): Promise<Setup> {
  const stateDir = `/tmp/mv-start-test-${randomBytes(4).toString('hex')}`;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // Calibrated already: the test is about starting, not about a calibration's CPU.
  writeFileSync(join(stateDir, 'speed.json'), JSON.stringify({ calibrated: 40000 }) + '\n');
  const sshd = await startSshd({ extraConfig: () => [`SetEnv MOSIXVIEW_STATE_DIR=${stateDir}`, ...(streamLocal ? [] : ['AllowStreamLocalForwarding no'])] });
  const knownHostsFile = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys.ed25519.pubLine}\n`);
  const node = {
    id: 1,
    host: '127.0.0.1',
    ssh: { user: 'root', port: sshd.port, identityFile: sshd.clientKey.priv, knownHostsFile, sshConfigFile: join(sshd.dir, 'no_such_config'), useAgent: false, agentDir: join(sshd.dir, 'remote') },
  } as NodeTarget;
  const s = { sshd, stateDir, node };
  setups.push(s);
  return s;
}

const stopDaemon = (s: Setup) => spawnSync(process.execPath, [BUNDLE, 'stop'], { env: { ...process.env, MOSIXVIEW_STATE_DIR: s.stateDir }, timeout: 15000 });
const noPrompt = () => Promise.reject(new Error('no host key prompt expected'));

async function hello(ch: AgentChannel): Promise<AgentHello> {
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>>((l) => ch.stdin.write(l));
  ch.stdout.on('data', (d: Buffer) => ep.receive(d));
  return ep.request('hello', { client: 'gui', version: bundle.version }, 20000);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(() => {
  if (!existsSync(BUNDLE)) execFileSync(process.execPath, ['build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const version = execFileSync(process.execPath, [BUNDLE, '--version'], { encoding: 'utf8' }).trim();
  bundle = { path: BUNDLE, version, bytes: readFileSync(BUNDLE) };
}, 120000);

afterAll(async () => {
  for (const s of setups) {
    stopDaemon(s);
    await s.sshd.stop();
    rmSync(s.stateDir, { recursive: true, force: true });
  }
}, 60000);

// Real daemons started over real SSH connections: slow on a loaded machine.
describe('a node with no daemon running, over a real sshd', { timeout: 90_000 }, () => {
  it('starts the daemon from the login shell and talks to its socket: no attach process, and the daemon stays after the session', async () => {
    const s = await setUp(true);
    const ch = await new SshLauncher(s.node, bundle, noPrompt).open(new AbortController().signal);
    let pid: number;
    try {
      expect(ch.opened?.route).toBe('socket');
      expect(ch.opened?.upload).toBeGreaterThan(0);
      const h = await hello(ch);
      expect(h).toMatchObject({ version: bundle.version, stateDir: s.stateDir });
      pid = h.pid;
    } finally {
      ch.close();
    }
    expect(alive(pid)).toBe(true);
    // Its own session (setsid), as attach's detached spawn: not in the SSH session's.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    expect(Number(stat[3])).toBe(pid);
    expect(readFileSync(join(s.stateDir, 'agent.log'), 'utf8')).toMatch(new RegExp(`daemon ${pid} \\(version ${bundle.version.replace(/[.+]/g, '\\$&')}\\) serving`));
  });

  it('relays through attach to the daemon it started where sshd forbids streamlocal', async () => {
    const s = await setUp(false);
    const ch = await new SshLauncher(s.node, bundle, noPrompt).open(new AbortController().signal);
    try {
      expect(ch.opened?.route).toBe('relay');
      const h = await hello(ch);
      expect(h).toMatchObject({ version: bundle.version, stateDir: s.stateDir });
      // The daemon the start script started, not one attach started later.
      expect(readFileSync(join(s.stateDir, 'agent.log'), 'utf8').match(/ serving /g)?.length).toBe(1);
    } finally {
      ch.close();
    }
  });

  it('leaves a node the admin stopped to attach, which starts nothing and exits saying why', async () => {
    const s = await setUp(true);
    writeFileSync(join(s.stateDir, ADMIN_STOP_FILE), JSON.stringify({ at: '2026-11-30T01:00:00.000Z', by: 'Stop agent in Mosixview from 10.0.0.1' }) + '\n');
    const ch = await new SshLauncher(s.node, bundle, noPrompt).open(new AbortController().signal);
    let err = '';
    ch.stderr.on('data', (d: Buffer) => (err += d.toString()));
    ch.stdout.resume();
    const code = await new Promise<number | null>((r) => ch.onExit((c) => r(c)));
    expect(ch.opened?.route).toBe('relay');
    expect(code).toBe(ATTACH_EXIT_STOPPED);
    expect(err).toMatch(/stopped/);
    expect(existsSync(join(s.stateDir, 'agent.sock'))).toBe(false);
  });
});
