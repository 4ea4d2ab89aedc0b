import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshSettings } from '../core/profile.js';
import { AgentDeployError, deployAgent, shQuote, startAgent, type AgentBundle } from './agentDeploy.js';
import { connectSsh } from './sshConnect.js';
import { startSshd, type Sshd } from './sshdFixture.test-util.js';

let sshd: Sshd;
let client: Client;
let ssh: SshSettings;
let bundle: AgentBundle;
const homeDir = `.mosixview-test-${process.pid}`;

const AGENT = `'use strict';
const rl = require('node:readline').createInterface({ input: process.stdin });
process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), env: process.env.MV_TEST ?? null, pid: process.pid }) + '\\n');
rl.on('line', (l) => process.stdout.write(JSON.stringify({ echo: l }) + '\\n'));
rl.on('close', () => process.exit(7));
`;

beforeAll(async () => {
  sshd = await startSshd();
  const agentPath = join(sshd.dir, 'agent.cjs');
  writeFileSync(agentPath, AGENT);
  bundle = { path: agentPath, version: '0.1.0-test', bytes: Buffer.from(AGENT) };
  ssh = {
    user: 'root',
    port: sshd.port,
    identityFile: sshd.clientKey.priv,
    knownHostsFile: join(sshd.dir, 'known_hosts'),
    sshConfigFile: join(sshd.dir, 'no_such_config'),
    useAgent: false,
    agentDir: join(sshd.dir, 'remote'),
  };
  writeFileSync(ssh.knownHostsFile!, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys.ed25519.pubLine}\n`);
  client = await connectSsh(
    { id: 1, host: '127.0.0.1', ssh },
    { globalKnownHostsFiles: [], hostKeyDecision: () => Promise.reject(new Error('not expected')) },
  );
}, 30000);

afterAll(async () => {
  client?.end();
  rmSync(join('/root', homeDir), { recursive: true, force: true });
  await sshd?.stop();
});

describe('shQuote', () => {
  it('round-trips through sh', async () => {
    const { execFileSync } = await import('node:child_process');
    const nasty = `it's "$HOME" \`id\` \\ ;|&\n*`;
    expect(execFileSync('sh', ['-c', `printf %s ${shQuote(nasty)}`], { encoding: 'utf8' })).toBe(nasty);
  });
});

describe('deployAgent + startAgent over a real sshd', () => {
  it('uploads once, atomically named, mode 0755; the second deploy finds it', async () => {
    const first = await deployAgent(client, { host: '127.0.0.1', ssh }, bundle);
    const file = join(ssh.agentDir!, 'agent', 'mosixview-agent-0.1.0-test.cjs');
    expect(first).toMatchObject({ agentFile: file, uploaded: true, nodeVersion: process.versions.node });
    expect(first.nodePath).toMatch(/^\//);
    expect(readFileSync(file, 'utf8')).toBe(AGENT);
    expect(statSync(file).mode & 0o777).toBe(0o755);
    const mtime = statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const second = await deployAgent(client, { host: '127.0.0.1', ssh }, bundle);
    expect(second).toEqual({ ...first, uploaded: false, probeMs: second.probeMs, uploadMs: 0 });
    expect(first.uploadMs).toBeGreaterThan(0);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('expands ~ in agentDir on the node and reads the bundle from its path', async () => {
    const r = await deployAgent(client, { host: '127.0.0.1', ssh: { ...ssh, agentDir: `~/${homeDir}` } }, { path: bundle.path, version: bundle.version });
    expect(r.agentFile).toBe(`/root/${homeDir}/agent/mosixview-agent-0.1.0-test.cjs`);
    expect(readFileSync(r.agentFile, 'utf8')).toBe(AGENT);
  });

  it('runs the agent with quoted args and env, speaking lines over stdio', async () => {
    const d = await deployAgent(client, { host: '127.0.0.1', ssh }, bundle);
    const args = ['--poll', `it's "$HOME" ; rm -rf /`];
    const ch = await startAgent(client, d, args, { MV_TEST: `a b'c` });
    const lines = createInterface({ input: ch.stdout })[Symbol.asyncIterator]();
    expect(JSON.parse((await lines.next()).value as string)).toMatchObject({ argv: ['attach', ...args], env: `a b'c` });
    ch.stdin.write('{"id":1}\n');
    expect(JSON.parse((await lines.next()).value as string)).toEqual({ echo: '{"id":1}' });
    const exited = new Promise<[number | null, string | null]>((r) => ch.onExit((c, s) => r([c, s])));
    ch.stdin.end();
    expect(await exited).toEqual([7, null]);
    // Late listeners still hear about the exit.
    expect(await new Promise((r) => ch.onExit((c) => r(c)))).toBe(7);
  });

  it('close() ends a running agent', async () => {
    const d = await deployAgent(client, { host: '127.0.0.1', ssh }, bundle);
    const ch = await startAgent(client, d, [], {});
    const exited = new Promise<[number | null, string | null]>((r) => ch.onExit((c, s) => r([c, s])));
    const hello = await new Promise<Buffer>((r) => ch.stdout.once('data', r));
    const { pid } = JSON.parse(hello.toString()) as { pid: number };
    ch.close();
    const [code, signal] = await exited;
    // sshd forwards the TERM signal (OpenSSH >= 7.9); without it, stdin EOF makes the agent exit 7.
    expect(signal === 'SIGTERM' || code === 7).toBe(true);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive()).toBe(false);
  });

  it('concurrent first deploys (two GUIs) both succeed and leave no temp files', async () => {
    const s2 = { ...ssh, agentDir: join(sshd.dir, 'race') };
    const [a, b] = await Promise.all([
      deployAgent(client, { host: '127.0.0.1', ssh: s2 }, bundle),
      deployAgent(client, { host: '127.0.0.1', ssh: s2 }, bundle),
    ]);
    expect(a!.agentFile).toBe(b!.agentFile);
    expect(readFileSync(a!.agentFile, 'utf8')).toBe(AGENT);
    expect(readdirSync(join(s2.agentDir, 'agent'))).toEqual(['mosixview-agent-0.1.0-test.cjs']);
  });

  it('a lost connection is reported as exit (null, null)', async () => {
    const c2 = await connectSsh(
      { id: 1, host: '127.0.0.1', ssh },
      { globalKnownHostsFiles: [], hostKeyDecision: () => Promise.reject(new Error('not expected')) },
    );
    const d = await deployAgent(c2, { host: '127.0.0.1', ssh }, bundle);
    const ch = await startAgent(c2, d, [], {});
    const exited = new Promise<[number | null, string | null]>((r) => ch.onExit((c, s) => r([c, s])));
    await new Promise((r) => ch.stdout.once('data', r));
    c2.destroy();
    expect(await exited).toEqual([null, null]);
    ch.stdin.write('late write must not throw\n');
  });

  it('no Node.js at nodePath', async () => {
    const e = await deployAgent(client, { host: '10.0.0.3', ssh: { ...ssh, nodePath: '/nonexistent/node' } }, bundle).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AgentDeployError);
    expect((e as AgentDeployError).kind).toBe('no-node');
    expect((e as Error).message).toMatch(/^Node\.js not found at \/nonexistent\/node on 10\.0\.0\.3/);
  });

  it('too old Node.js', async () => {
    const fake = join(sshd.dir, 'old-node');
    writeFileSync(fake, '#!/bin/sh\nprintf 16.20.2\n');
    chmodSync(fake, 0o755);
    const e = await deployAgent(client, { host: '10.0.0.3', ssh: { ...ssh, nodePath: fake } }, bundle).catch((x: unknown) => x);
    expect((e as AgentDeployError).kind).toBe('old-node');
    expect((e as Error).message).toMatch(/^Node\.js 16\.20\.2 on 10\.0\.0\.3 is too old: need >= 18/);
  });
});
