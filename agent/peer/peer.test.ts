import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ExchangeSocket, seal, unseal, type ExchangeEnvelope } from './exchangeSocket.js';
import { ReplayGuard } from './replayGuard.js';
import { PeerNet } from './peerNet.js';
import { receiveFiles } from './transfer.js';
import { deriveKey } from './clusterSecrets.js';
import type { MapNode } from '../../shared/hpcMap.js';
import { testPort } from './testPort.test-util.js';

const key = randomBytes(32);
const nodes: MapNode[] = [
  { id: 1, host: '127.0.0.1', aliases: [], line: 1 },
  { id: 2, host: '127.0.0.2', aliases: [], line: 1 },
];
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const port = testPort;
const waitFor = async (cond: () => boolean, ms = 3000) => {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe('sealed exchange datagrams', () => {
  const env: ExchangeEnvelope = { from: 1, seq: 5, t: 1000, body: { load: 2 } };
  it('round-trips, and refuses another key or a changed byte', () => {
    const k = deriveKey(key, 'exchange-udp');
    const data = seal(k, env);
    expect(unseal(k, data)).toEqual(env);
    expect(unseal(deriveKey(randomBytes(32), 'exchange-udp'), data)).toBeUndefined();
    for (const i of [0, 5, 20, data.length - 1]) {
      const bad = Buffer.from(data);
      bad[i] = bad[i]! ^ 1;
      expect(unseal(k, bad)).toBeUndefined();
    }
    expect(deriveKey(key, 'exchange-udp').equals(deriveKey(key, 'peer-tls'))).toBe(false);
  });

  it('drops and counts forged, stale and replayed envelopes', () => {
    const g = new ReplayGuard(5000);
    expect(g.admit(env, 1000)).toBe(true);
    expect(g.admit(env, 1000)).toBe(false);
    expect(g.admit({ ...env, seq: 4 }, 1000)).toBe(false);
    expect(g.admit({ ...env, seq: 6, t: 1000 }, 7001)).toBe(false);
    expect(g.admit(undefined, 1000)).toBe(false);
    expect(g.admit({ ...env, seq: 7 }, 1200)).toBe(true);
    expect(g.admit({ ...env, from: 2, seq: 1 }, 1200)).toBe(true);
    expect(g.stats).toEqual({ accepted: 3, forged: 1, stale: 1, replayed: 2, ahead: 0 });
  });

  it('over UDP: a peer with the key gets through; forged and replayed datagrams change nothing', async () => {
    const p = port();
    const k = deriveKey(key, 'exchange-udp');
    const got: ExchangeEnvelope[] = [];
    const b = new ExchangeSocket(k, 2, p, (e) => got.push(e));
    const a = new ExchangeSocket(k, 1, p, () => undefined);
    const intruder = new ExchangeSocket(deriveKey(randomBytes(32), 'exchange-udp'), 1, p, () => undefined);
    await b.start('127.0.0.2');
    await a.start('127.0.0.1');
    await intruder.start('127.0.0.3');
    cleanups.push(() => [a, b, intruder].forEach((s) => s.close()));
    a.send('127.0.0.2', { load: 1 });
    expect(await waitFor(() => got.length === 1)).toBe(true);
    intruder.send('127.0.0.2', { load: 99 });
    // Replay: the same sealed bytes again, as a recording attacker would send them.
    const { createSocket } = await import('node:dgram');
    const raw = createSocket('udp4');
    cleanups.push(() => raw.close());
    const replay = seal(k, { from: 1, seq: 1, t: Date.now(), body: { load: 98 } });
    raw.send(replay, p, '127.0.0.2');
    raw.send(replay, p, '127.0.0.2');
    expect(await waitFor(() => b.guard.stats.forged === 1 && b.guard.stats.replayed >= 1)).toBe(true);
    expect(got.map((e) => (e.body as { load: number }).load)).toEqual([1]);
  });
});

describe('peer channel (TLS with the cluster key)', () => {
  async function pair() {
    const p = port();
    const dir = mkdtempSync(join(tmpdir(), 'mv-peer-'));
    const mk = (selfId: number, k: Buffer) =>
      new PeerNet({
        selfId,
        nodes,
        key: deriveKey(k, 'peer-tls'),
        port: p,
        handlers: { 'peer.hello': ({ from }) => ({ nodeId: selfId, version: `v-from-${from}` }) },
        transferDir: (h) => join(dir, `n${selfId}`, h.transfer),
      });
    const a = mk(1, key);
    const b = mk(2, key);
    await a.start();
    await b.start();
    cleanups.push(() => [a, b].forEach((n) => n.stop()));
    return { a, b, mk, dir };
  }

  it('answers requests both ways', async () => {
    const { a, b } = await pair();
    expect(await a.request(2, 'peer.hello', { from: 1, version: 'x' })).toEqual({ nodeId: 2, version: 'v-from-1' });
    expect(await b.request(1, 'peer.hello', { from: 2, version: 'x' })).toEqual({ nodeId: 1, version: 'v-from-2' });
  });

  it('dials afresh after a quiet while (a link cut meanwhile leaves a dead connection that would swallow the request)', async () => {
    const p = port();
    const dir = mkdtempSync(join(tmpdir(), 'mv-peer-'));
    let accepted = 0;
    const mk = (selfId: number) =>
      new PeerNet({
        selfId, nodes, key: deriveKey(key, 'peer-tls'), port: p, redialAfterIdleMs: 100,
        handlers: { 'peer.hello': () => (accepted++, { nodeId: selfId, version: 'v' }) },
        transferDir: (h) => join(dir, h.transfer),
      });
    const [a, b] = [mk(1), mk(2)];
    await a.start();
    await b.start();
    cleanups.push(() => [a, b].forEach((n) => n.stop()));
    const sockOf = () => (a as unknown as { current: Map<number, { destroyed: boolean }> }).current.get(2);
    await a.request(2, 'peer.hello', { from: 1, version: 'x' });
    const first = sockOf();
    await a.request(2, 'peer.hello', { from: 1, version: 'x' });
    expect(sockOf()).toBe(first); // reused while in use
    await new Promise((r) => setTimeout(r, 250));
    await a.request(2, 'peer.hello', { from: 1, version: 'x' });
    expect(accepted).toBe(3);
    expect(sockOf()).not.toBe(first); // the quiet one was closed, a new one dialled
    expect(first!.destroyed).toBe(true);
  });

  it('dialling afresh leaves one connection open, however often (the quiet one\'s close once dropped its successor, which then stayed open unused)', async () => {
    const p = port();
    const dir = mkdtempSync(join(tmpdir(), 'mv-peer-'));
    const mk = (selfId: number) =>
      new PeerNet({
        selfId, nodes, key: deriveKey(key, 'peer-tls'), port: p, redialAfterIdleMs: 100,
        handlers: { 'peer.hello': () => ({ nodeId: selfId, version: 'v' }) },
        transferDir: (h) => join(dir, h.transfer),
      });
    const [a, b] = [mk(1), mk(2)];
    await a.start();
    await b.start();
    cleanups.push(() => [a, b].forEach((n) => n.stop()));
    const openOf = (n: PeerNet) => new Set([...(n as unknown as { open: Set<{ destroyed: boolean; remotePort?: number; localPort?: number }> }).open].filter((s) => !s.destroyed).map((s) => (n === a ? s.localPort : s.remotePort))).size;
    // Each dial uses the one TLS context of the channel (making one per dial cost a collector's node ~9 ms a dial).
    const contexts = new Set<unknown>();
    const contextOf = () => (a as unknown as { current: Map<number, { ssl: { _secureContext: unknown } | null }> }).current.get(2)?.ssl?._secureContext;
    for (let quiet = 0; quiet < 4; quiet++) {
      await new Promise((r) => setTimeout(r, 150));
      await a.request(2, 'peer.hello', { from: 1, version: 'x' });
      contexts.add(contextOf());
      await a.request(2, 'peer.hello', { from: 1, version: 'x' });
    }
    expect(contexts.size).toBe(1);
    expect([...contexts][0]).toBeDefined();
    // A connection accepted is tracked as its TCP socket and its TLS socket: counted by the dialler's port.
    expect(await waitFor(() => openOf(a) === 1 && openOf(b) === 1, 1000)).toBe(true);
  });

  it('a peer without the key cannot send a request', async () => {
    const { mk } = await pair();
    const intruder = mk(1, randomBytes(32));
    await expect(intruder.request(2, 'peer.hello', { from: 1, version: 'x' })).rejects.toThrow(/cannot reach the agent of node 2/);
  });

  it('moves files intact, also large ones, and says where they are', async () => {
    const { a, dir } = await pair();
    const src = mkdtempSync(join(tmpdir(), 'mv-src-'));
    const files = { 'pages-1.img': randomBytes(5 * 1024 * 1024 + 7), 'core-1.img': randomBytes(1000), 'empty.img': Buffer.alloc(0) };
    for (const [n, b] of Object.entries(files)) writeFileSync(join(src, n), b);
    const r = await a.sendFiles(2, 'job-1.1-m1', Object.keys(files).map((n) => join(src, n)));
    expect(r.dir).toBe(join(dir, 'n2', 'job-1.1-m1'));
    expect(r.bytes).toBe(5 * 1024 * 1024 + 7 + 1000);
    for (const [n, b] of Object.entries(files)) expect(readFileSync(join(r.dir, n)).equals(b)).toBe(true);
  });
});

describe('receiveFiles', () => {
  it('refuses a file whose checksum does not match and leaves no part behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-recv-'));
    const body = randomBytes(3000);
    const s = new PassThrough();
    const p = receiveFiles(s, { transfer: 't', from: 1, files: [{ name: 'a.img', size: body.length, sha256: '' }] }, dir, Buffer.alloc(0));
    s.write(body.subarray(0, 100));
    s.write(body.subarray(100));
    s.end(Buffer.alloc(32, 1));
    await expect(p).rejects.toThrow(/checksum mismatch on a.img/);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'a.img'))).toBe(false);
  });

  it('says when the sender goes away mid-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-recv-'));
    const s = new PassThrough();
    const p = receiveFiles(s, { transfer: 't', from: 1, files: [{ name: 'a.img', size: 100, sha256: '' }] }, dir, Buffer.alloc(0));
    s.end(Buffer.alloc(40));
    await expect(p).rejects.toThrow(/went away after 40 bytes/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
