/**
 * The GUI reaches a running daemon through its socket over a real sshd (direct-streamlocal),
 * proving the login's uid by the daemon's challenge file; where sshd forbids it
 * (AllowStreamLocalForwarding no), or the daemon is of another version, through `attach`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { AgentChannel } from '../core/agentChannel.js';
import { SshLauncher } from '../core/sshLauncher.js';
import type { DaemonMemory } from '../core/daemonMemory.js';
import type { RunningDaemon } from './daemonProbe.js';
import type { AgentBundle } from '../core/agentBundle.js';
import type { NodeTarget } from '../core/profile.js';
import { startSshd, type Sshd } from './sshdFixture.test-util.js';

const VERSION = '0.1.0-socket-test';
// The relay stands in for `mosixview-agent attach`: it only pipes to the daemon's socket.
const RELAY = `'use strict';
const s = require('node:net').connect(process.env.MOSIXVIEW_STATE_DIR + '/agent.sock');
process.stdin.pipe(s); s.pipe(process.stdout);
s.on('close', () => process.exit(0));
`;

/** A daemon that answers the identity challenge as the real one does, and says in hello who proved what. */
function fakeDaemon(stateDir: string): { server: Server; challenges: number; version: string } {
  const counts = { server: undefined as unknown as Server, challenges: 0, version: VERSION };
  mkdirSync(join(stateDir, 'callers'), { recursive: true, mode: 0o711 });
  counts.server = createServer((sock) => {
    let nonce: string | undefined;
    let proved: number | undefined;
    const ep = new RpcEndpoint<Record<never, never>, Record<never, never>, AgentRequests>((l) => sock.write(l), {
      'auth.challenge': ({ uid }) => {
        counts.challenges++;
        nonce = randomBytes(16).toString('hex');
        const file = join(stateDir, 'callers', randomBytes(8).toString('hex'));
        writeFileSync(file, nonce, { mode: 0o400 });
        return { file, uid } as unknown as { file: string };
      },
      'auth.prove': (p) => {
        if (!nonce || p.nonce !== nonce) throw new RpcError('EPERM', 'wrong nonce');
        proved = 0;
        return { uid: 0, user: 'root' };
      },
      hello: () => ({ protocol: 1, version: counts.version, provedUid: proved ?? null }) as never,
    });
    sock.on('data', (d) => ep.receive(d));
    sock.on('error', () => undefined);
  });
  return counts;
}

interface Setup {
  sshd: Sshd;
  stateDir: string;
  daemon: ReturnType<typeof fakeDaemon>;
  node: NodeTarget;
  bundle: AgentBundle;
}

async function setUp(streamLocal: boolean): Promise<Setup> {
  const tag = randomBytes(4).toString('hex');
  const stateDir = `/tmp/mv-socket-test-${tag}`;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const sshd = await startSshd({ extraConfig: () => [`SetEnv MOSIXVIEW_STATE_DIR=${stateDir}`, ...(streamLocal ? [] : ['AllowStreamLocalForwarding no'])] });
  const daemon = fakeDaemon(stateDir);
  await new Promise<void>((r) => daemon.server.listen(join(stateDir, 'agent.sock'), r));
  writeFileSync(join(stateDir, 'agent.pid'), JSON.stringify({ pid: process.pid, version: VERSION }) + '\n');
  const bundlePath = join(sshd.dir, 'relay.cjs');
  writeFileSync(bundlePath, RELAY);
  const knownHostsFile = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys.ed25519.pubLine}\n`);
  const node: NodeTarget = {
    id: 1,
    host: '127.0.0.1',
    ssh: { user: 'root', port: sshd.port, identityFile: sshd.clientKey.priv, knownHostsFile, sshConfigFile: join(sshd.dir, 'no_such_config'), useAgent: false, agentDir: join(sshd.dir, 'remote') },
  } as NodeTarget;
  return { sshd, stateDir, daemon, node, bundle: { path: bundlePath, version: VERSION, bytes: Buffer.from(RELAY) } };
}

async function tearDown(s: Setup | undefined): Promise<void> {
  if (!s) return;
  await new Promise((r) => s.daemon.server.close(r));
  await s.sshd.stop();
  rmSync(s.stateDir, { recursive: true, force: true });
}

const noPrompt = () => Promise.reject(new Error('no host key prompt expected'));

/** hello over the channel, as NodeSession sends it. */
async function hello(ch: AgentChannel): Promise<{ version: string; provedUid: number | null }> {
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>>((l) => ch.stdin.write(l));
  ch.stdout.on('data', (d: Buffer) => ep.receive(d));
  return (await ep.request('hello', { client: 'gui', version: VERSION }, 10000)) as never;
}

// Each test opens real SSH connections and starts Node.js relays: slow on a loaded machine.
describe('SshLauncher and a running daemon, over a real sshd', { timeout: 60_000 }, () => {
  let open: Setup | undefined;
  let closed: Setup | undefined;
  beforeAll(async () => {
    open = await setUp(true);
    closed = await setUp(false);
  }, 30000);
  afterAll(async () => {
    await tearDown(open);
    await tearDown(closed);
  });

  it('talks to the socket directly, with the login uid proved, when sshd allows streamlocal (its default)', async () => {
    const s = open!;
    const ch = await new SshLauncher(s.node, s.bundle, noPrompt).open(new AbortController().signal);
    try {
      expect(ch.opened?.route).toBe('socket');
      expect(s.daemon.challenges).toBe(1);
      expect(await hello(ch)).toMatchObject({ version: VERSION, provedUid: 0 });
    } finally {
      ch.close();
    }
  });

  it('relays through attach, each time, where sshd forbids streamlocal', async () => {
    const s = closed!;
    const launcher = new SshLauncher(s.node, s.bundle, noPrompt);
    for (let i = 0; i < 2; i++) {
      const ch = await launcher.open(new AbortController().signal);
      try {
        expect(ch.opened?.route).toBe('relay');
        expect(await hello(ch)).toMatchObject({ version: VERSION, provedUid: null });
      } finally {
        ch.close();
      }
    }
    expect(s.daemon.challenges).toBe(0);
    expect(s.sshd.log().match(/refused streamlocal/g)?.length).toBe(2);
  });

  it('relays through attach to a daemon of another version (attach replaces it or says why it stays)', async () => {
    const s = open!;
    writeFileSync(join(s.stateDir, 'agent.pid'), JSON.stringify({ pid: process.pid, version: '0.0.9-older' }) + '\n');
    try {
      const ch = await new SshLauncher(s.node, s.bundle, noPrompt).open(new AbortController().signal);
      try {
        expect(ch.opened?.route).toBe('relay');
        expect(await hello(ch)).toMatchObject({ version: VERSION });
      } finally {
        ch.close();
      }
    } finally {
      writeFileSync(join(s.stateDir, 'agent.pid'), JSON.stringify({ pid: process.pid, version: VERSION }) + '\n');
    }
  });

  describe('with a memory of where the daemon was', () => {
    const memoryOf = (entries: [string, RunningDaemon][] = []): DaemonMemory & { map: Map<string, RunningDaemon> } => {
      const map = new Map(entries);
      return { map, recall: (k) => map.get(k), remember: (k, d) => void map.set(k, d), forget: (k) => void map.delete(k) };
    };

    it('remembers what the probe found, and the next start goes straight to that socket (no probe), proving version and uid', async () => {
      const s = open!;
      const memory = memoryOf();
      const first = await new SshLauncher(s.node, s.bundle, noPrompt, memory).open(new AbortController().signal);
      first.close();
      expect([...memory.map.values()]).toEqual([{ socket: join(s.stateDir, 'agent.sock'), version: VERSION, uid: 0 }]);
      const before = s.daemon.challenges;
      const ch = await new SshLauncher(s.node, s.bundle, noPrompt, memory).open(new AbortController().signal);
      try {
        expect(ch.opened).toMatchObject({ route: 'socket', probe: 0, upload: 0 });
        expect(s.daemon.challenges).toBe(before + 1);
        expect(await hello(ch)).toMatchObject({ version: VERSION, provedUid: 0 });
      } finally {
        ch.close();
      }
    });

    it('probes as before when the remembered socket is gone, and remembers the daemon found instead', async () => {
      const s = open!;
      const memory = memoryOf();
      const launcher = new SshLauncher(s.node, s.bundle, noPrompt, memory);
      const first = await launcher.open(new AbortController().signal);
      first.close();
      const [key] = [...memory.map.keys()];
      memory.map.set(key!, { socket: join(s.stateDir, 'gone.sock'), version: VERSION, uid: 0 });
      const ch = await launcher.open(new AbortController().signal);
      try {
        expect(ch.opened?.route).toBe('socket');
        expect(ch.opened?.probe).toBeGreaterThan(0);
        expect(await hello(ch)).toMatchObject({ version: VERSION, provedUid: 0 });
        expect(memory.map.get(key!)?.socket).toBe(join(s.stateDir, 'agent.sock'));
      } finally {
        ch.close();
      }
    });

    it('probes (and relays to replace it) when the remembered daemon now says another version, and forgets it', async () => {
      const s = open!;
      const memory = memoryOf();
      const launcher = new SshLauncher(s.node, s.bundle, noPrompt, memory);
      (await launcher.open(new AbortController().signal)).close();
      expect(memory.map.size).toBe(1);
      s.daemon.version = '0.0.9-older';
      writeFileSync(join(s.stateDir, 'agent.pid'), JSON.stringify({ pid: process.pid, version: '0.0.9-older' }) + '\n');
      try {
        const ch = await launcher.open(new AbortController().signal);
        try {
          expect(ch.opened?.route).toBe('relay');
          expect(ch.opened?.probe).toBeGreaterThan(0);
          expect(memory.map.size).toBe(0);
        } finally {
          ch.close();
        }
      } finally {
        s.daemon.version = VERSION;
        writeFileSync(join(s.stateDir, 'agent.pid'), JSON.stringify({ pid: process.pid, version: VERSION }) + '\n');
      }
    });

    it('relays as before where sshd forbids streamlocal, whatever the memory says', async () => {
      const s = closed!;
      const memory = memoryOf([[`root@127.0.0.1:${s.node.ssh.port}`, { socket: join(s.stateDir, 'agent.sock'), version: VERSION, uid: 0 }]]);
      const ch = await new SshLauncher(s.node, s.bundle, noPrompt, memory).open(new AbortController().signal);
      try {
        expect(ch.opened?.route).toBe('relay');
        expect(await hello(ch)).toMatchObject({ version: VERSION, provedUid: null });
        expect(memory.map.size).toBe(0);
      } finally {
        ch.close();
      }
    });
  });
});
