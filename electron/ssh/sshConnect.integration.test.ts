import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshSettings } from '../core/profile.js';
import { connectSsh, SshError, type ConnectOptions } from './sshConnect.js';
import { freePort, genKey, startSshd, type Sshd } from './sshdFixture.test-util.js';

let sshd: Sshd;
let n = 0;

beforeAll(async () => {
  sshd = await startSshd();
}, 30000);
afterAll(async () => {
  await sshd?.stop();
});

/** A fresh known_hosts path per test, and settings that ignore the real ~/.ssh. */
function settings(extra: SshSettings = {}): SshSettings & { knownHostsFile: string } {
  return {
    user: 'root',
    port: sshd.port,
    identityFile: sshd.clientKey.priv,
    knownHostsFile: join(sshd.dir, `known_hosts_${++n}`),
    sshConfigFile: join(sshd.dir, 'no_such_config'),
    useAgent: false,
    ...extra,
  };
}

function fingerprintOf(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-E', 'sha256', '-lf', pubFile], { encoding: 'utf8' }).split(' ')[1]!;
}

function run(client: Client, cmd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(cmd, (err, ch) => {
      if (err) return reject(err);
      let out = '';
      ch.on('data', (d: Buffer) => (out += d.toString()));
      ch.on('close', () => resolve(out));
    });
  });
}

function opts(answer: boolean, asked: unknown[] = []): ConnectOptions {
  return {
    globalKnownHostsFiles: [],
    hostKeyDecision: async (info) => {
      asked.push(info);
      return answer;
    },
  };
}

async function failure(p: Promise<unknown>): Promise<SshError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SshError);
  return e as SshError;
}

describe('connectSsh against a real sshd', () => {
  it('asks about an unknown key with the ssh-keygen fingerprint, remembers it on yes', async () => {
    const s = settings();
    const asked: unknown[] = [];
    const c = await connectSsh({ id: 3, host: '127.0.0.1', ssh: s }, opts(true, asked));
    expect(await run(c, 'echo hello $USER')).toBe('hello root\n');
    c.end();
    expect(asked).toEqual([
      {
        nodeId: 3,
        host: '127.0.0.1',
        port: sshd.port,
        keyType: 'ssh-ed25519',
        fingerprint: fingerprintOf(sshd.hostKeys.ed25519.pub),
        knownHostsFile: s.knownHostsFile,
      },
    ]);
    expect(readFileSync(s.knownHostsFile, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostKeys.ed25519.pubLine}\n`);
    // Known now: no second question.
    const again: unknown[] = [];
    const c2 = await connectSsh({ id: 3, host: '127.0.0.1', ssh: s }, opts(false, again));
    c2.end();
    expect(again).toEqual([]);
  });

  it('refuses when the admin says no, and writes nothing', async () => {
    const s = settings();
    const e = await failure(connectSsh({ id: 1, host: '127.0.0.1', ssh: s }, opts(false)));
    expect(e.kind).toBe('hostkey-rejected');
    expect(e.message).toMatch(/not accepted/);
    expect(existsSync(s.knownHostsFile)).toBe(false);
  });

  it('accepts a host known only by its ECDSA key without asking (asks the server for that type)', async () => {
    const s = settings();
    writeFileSync(s.knownHostsFile, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys.ecdsa.pubLine}\n`);
    const asked: unknown[] = [];
    const c = await connectSsh({ id: 1, host: '127.0.0.1', ssh: s }, opts(false, asked));
    c.end();
    expect(asked).toEqual([]);
  });

  it('refuses a changed key without asking, naming file and line', async () => {
    const s = settings();
    const other = genKey(sshd.dir, `other${n}`, 'ed25519');
    writeFileSync(s.knownHostsFile, `# cluster\n[127.0.0.1]:${sshd.port} ${other.pubLine}\n`);
    const asked: unknown[] = [];
    const e = await failure(connectSsh({ id: 1, host: '127.0.0.1', ssh: s }, opts(true, asked)));
    expect(e.kind).toBe('hostkey-changed');
    expect(e.message).toContain(`host key of [127.0.0.1]:${sshd.port} has CHANGED (known_hosts line 2 of ${s.knownHostsFile})`);
    expect(e.message).toMatch(/remove that line/);
    expect(asked).toEqual([]);
  });

  it('refuses a revoked key even if also listed as good', async () => {
    const s = settings();
    const k = sshd.hostKeys.ed25519.pubLine;
    writeFileSync(s.knownHostsFile, `[127.0.0.1]:${sshd.port} ${k}\n@revoked * ${k}\n`);
    const e = await failure(connectSsh({ id: 1, host: '127.0.0.1', ssh: s }, opts(true)));
    expect(e.kind).toBe('hostkey-rejected');
    expect(e.message).toMatch(/REVOKED \(known_hosts line 2/);
  });

  it('reports refused keys as an auth error listing what was tried', async () => {
    const s = settings({ identityFile: [sshd.strangerKey.priv, sshd.lockedKey.priv, join(sshd.dir, 'nokey')] });
    const e = await failure(connectSsh({ id: 1, host: '127.0.0.1', ssh: s }, opts(true)));
    expect(e.kind).toBe('auth');
    expect(e.message).toContain(`root@127.0.0.1:${sshd.port} refused all keys: tried ${sshd.strangerKey.priv}`);
    expect(e.message).toContain(`${sshd.lockedKey.priv} (passphrase-protected`);
    expect(e.message).toContain('nokey (not found)');
  });

  it('authenticates through ssh-agent', async () => {
    const sock = join(sshd.dir, `agent${n}.sock`);
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const old = process.env.SSH_AUTH_SOCK;
    try {
      for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
      execFileSync('ssh-add', [sshd.clientKey.priv], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      process.env.SSH_AUTH_SOCK = sock;
      const c = await connectSsh({ id: 1, host: '127.0.0.1', ssh: settings({ identityFile: [], useAgent: true }) }, opts(true));
      expect(await run(c, 'echo ok')).toBe('ok\n');
      c.end();
    } finally {
      if (old === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = old;
      agent.kill();
    }
  });

  it('closed port: refused', async () => {
    const port = await freePort();
    const e = await failure(connectSsh({ id: 1, host: '127.0.0.1', ssh: settings({ port }) }, opts(true)));
    expect(e.kind).toBe('refused');
    expect(e.message).toBe(`127.0.0.1:${port}: connection refused (sshd not running or port wrong)`);
  });

  it('silent server: timeout', async () => {
    const srv: Server = createServer(() => undefined);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    try {
      const t0 = Date.now();
      const e = await failure(
        connectSsh({ id: 1, host: '127.0.0.1', ssh: settings({ port }) }, { ...opts(true), readyTimeoutMs: 700 }),
      );
      expect(e.kind).toBe('timeout');
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      srv.close();
    }
  });

  it('unknown host name: unreachable', async () => {
    const e = await failure(connectSsh({ id: 1, host: 'no-such-node.invalid', ssh: settings() }, opts(true)));
    expect(e.kind).toBe('unreachable');
    expect(e.message).toMatch(/no-such-node\.invalid: host name not found/);
  });

  it('abort while the host key question is open', async () => {
    const ac = new AbortController();
    const p = connectSsh(
      { id: 1, host: '127.0.0.1', ssh: settings() },
      {
        globalKnownHostsFiles: [],
        signal: ac.signal,
        hostKeyDecision: () => {
          setTimeout(() => ac.abort(), 10);
          return new Promise<boolean>(() => undefined);
        },
      },
    );
    const e = await failure(p);
    expect(e.message).toMatch(/cancelled/);
  });

  it('ProxyJump: checks the jump host key first, then the node, and reaches the node', async () => {
    const s = settings({ proxyJump: `root@127.0.0.1:${sshd.port}` });
    const asked: { host: string }[] = [];
    // The node is named "localhost" so that the two host key questions can be told apart.
    const c = await connectSsh({ id: 2, host: 'localhost', ssh: s }, opts(true, asked as unknown[]));
    expect(await run(c, 'echo "$SSH_CONNECTION"')).toMatch(/^127\.0\.0\.1 /);
    expect(asked.map((a) => a.host)).toEqual(['127.0.0.1', 'localhost']);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.end();
    await closed;
  });

  it('ProxyJump: a changed jump host key stops the path', async () => {
    const s = settings({ proxyJump: `127.0.0.1:${sshd.port}` });
    const other = genKey(sshd.dir, `jumpother${n}`, 'ed25519');
    writeFileSync(s.knownHostsFile, `[127.0.0.1]:${sshd.port} ${other.pubLine}\n`);
    const e = await failure(connectSsh({ id: 2, host: 'localhost', ssh: s }, opts(true)));
    expect(e.kind).toBe('hostkey-changed');
    expect(e.message).toContain(`[127.0.0.1]:${sshd.port} has CHANGED`);
  });

  it('ProxyJump: jump host cannot reach the node', async () => {
    const port = await freePort();
    const s = settings({ proxyJump: `127.0.0.1:${sshd.port}`, port });
    const e = await failure(connectSsh({ id: 2, host: '127.0.0.1', ssh: s }, opts(true)));
    expect(e.kind).toBe('unreachable');
    expect(e.message).toContain(`jump host 127.0.0.1:${sshd.port} cannot reach 127.0.0.1:${port}`);
  });
});

describe('keepalive', () => {
  it('notices a node that stops answering within 5 s', async () => {
    // A TCP relay that can be made to swallow traffic without closing: a crashed or unplugged node.
    let blackhole = false;
    const relay: Server = createServer((down) => {
      const up = createConnection({ host: '127.0.0.1', port: sshd.port });
      down.on('data', (d) => !blackhole && up.write(d));
      up.on('data', (d) => !blackhole && down.write(d));
      const kill = () => (down.destroy(), up.destroy());
      down.on('error', kill).on('close', kill);
      up.on('error', kill).on('close', kill);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as { port: number }).port;
    try {
      const s = settings({ port });
      writeFileSync(s.knownHostsFile, `[127.0.0.1]:${port} ${sshd.hostKeys.ed25519.pubLine}\n`);
      const c = await connectSsh({ id: 1, host: '127.0.0.1', ssh: s }, opts(false));
      const t0 = Date.now();
      const closed = new Promise<number>((r) => c.once('close', () => r(Date.now() - t0)));
      blackhole = true;
      expect(await closed).toBeLessThan(5000);
    } finally {
      relay.close();
    }
  });
});

describe('parallel connects', () => {
  it('ask about the same unknown key only once and record it once', async () => {
    const s = settings();
    let asked = 0;
    const o: ConnectOptions = {
      globalKnownHostsFiles: [],
      hostKeyDecision: async () => {
        asked++;
        await new Promise((r) => setTimeout(r, 200));
        return true;
      },
    };
    const clients = await Promise.all([1, 2, 3].map((id) => connectSsh({ id, host: '127.0.0.1', ssh: s }, o)));
    clients.forEach((c) => c.end());
    expect(asked).toBe(1);
    expect(readFileSync(s.knownHostsFile, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
