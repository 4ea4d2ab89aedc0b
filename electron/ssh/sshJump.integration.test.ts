/**
 * Many nodes behind one ProxyJump host, against real sshds: the nodes share one connection to
 * the jump host (OpenSSH's default MaxStartups, 10:30:100), and at most
 * MAX_CONCURRENT_HANDSHAKES handshakes run at a time as sshd counts them, so none is dropped.
 * The node's sshd drops every connection beyond exactly that many (MaxStartups N): a place
 * released when the client saw 'ready' but before sshd stopped counting it is a drop (CI lost
 * one node that way under the default, one time in many; this limit loses one on every run).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONCURRENT_HANDSHAKES } from './handshakeGate.js';
import { connectSsh } from './sshConnect.js';
import { startSshd, type Sshd } from './sshdFixture.test-util.js';

let jump: Sshd;
let node: Sshd;

beforeAll(async () => {
  [jump, node] = await Promise.all([startSshd(), startSshd({ extraConfig: () => [`MaxStartups ${MAX_CONCURRENT_HANDSHAKES}`] })]);
}, 30000);
afterAll(async () => {
  await Promise.all([jump?.stop(), node?.stop()]);
});

const NODES = 24;

/**
 * TCP connections the sshd took (LogLevel VERBOSE logs each; MaxStartups drops are logged as
 * such), without the fixture's start-up probe, which closes before the key exchange.
 */
const accepted = (s: Sshd) =>
  (s.log().match(/^(Connection from |drop connection #)/gm) ?? []).length - (s.log().match(/^kex_exchange_identification: Connection closed/gm) ?? []).length;
const authenticated = (s: Sshd) => (s.log().match(/^Accepted publickey for root/gm) ?? []).length;

/** sshd's log lines arrive a little after the client saw the event: wait for them, then look. */
async function logSettled(what: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe(`${NODES} nodes behind one ProxyJump host, the node's sshd at MaxStartups ${MAX_CONCURRENT_HANDSHAKES}`, () => {
  it('all connect over one connection to the jump host, and it is closed when the last node goes', async () => {
    expect(jump.log()).not.toMatch(/MaxStartups/);
    const knownHostsFile = join(jump.dir, 'known_hosts');
    writeFileSync(
      knownHostsFile,
      `[127.0.0.1]:${jump.port} ${jump.hostKeys.ed25519.pubLine}\n[127.0.0.1]:${node.port} ${node.hostKeys.ed25519.pubLine}\n`,
    );
    const ssh = {
      user: 'root',
      port: node.port,
      identityFile: [jump.clientKey.priv, node.clientKey.priv],
      knownHostsFile,
      sshConfigFile: join(jump.dir, 'no_such_config'),
      useAgent: false,
      proxyJump: `root@127.0.0.1:${jump.port}`,
    };
    const opts = { globalKnownHostsFiles: [], hostKeyDecision: async () => false, readyTimeoutMs: 20000 };
    const results = await Promise.allSettled(
      Array.from({ length: NODES }, (_, i) => connectSsh({ id: i + 1, host: '127.0.0.1', ssh }, opts)),
    );
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    const clients = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(failed).toEqual([]);
      expect(clients).toHaveLength(NODES);
      await logSettled(() => authenticated(node) >= NODES);
      expect(accepted(jump)).toBe(1);
      expect(authenticated(jump)).toBe(1);
      expect(authenticated(node)).toBe(NODES);
      expect(node.log()).not.toMatch(/past MaxStartups/);
    } finally {
      await Promise.all(clients.map((c) => new Promise<void>((r) => (c.once('close', () => r()), c.end()))));
    }
    // The jump connection was kept only for the nodes: it goes with the last one.
    await logSettled(() => /Disconnected from user root/.test(jump.log()));
    expect(jump.log()).toMatch(/Disconnected from user root/);
  }, 60000);

  it('a host reached directly keeps its own bound: as many nodes all to its sshd, none dropped', async () => {
    const knownHostsFile = join(node.dir, 'known_hosts');
    writeFileSync(knownHostsFile, `[127.0.0.1]:${node.port} ${node.hostKeys.ed25519.pubLine}\n`);
    const ssh = { user: 'root', port: node.port, identityFile: node.clientKey.priv, knownHostsFile, sshConfigFile: join(node.dir, 'no_such_config'), useAgent: false };
    const before = authenticated(node);
    const opts = { globalKnownHostsFiles: [], hostKeyDecision: async () => false, readyTimeoutMs: 20000 };
    const results = await Promise.allSettled(Array.from({ length: NODES }, (_, i) => connectSsh({ id: i + 1, host: '127.0.0.1', ssh }, opts)));
    const clients = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []))).toEqual([]);
      await logSettled(() => authenticated(node) >= before + NODES);
      expect(authenticated(node)).toBe(before + NODES);
      expect(node.log()).not.toMatch(/past MaxStartups/);
    } finally {
      await Promise.all(clients.map((c) => new Promise<void>((r) => (c.once('close', () => r()), c.end()))));
    }
  }, 60000);
});
