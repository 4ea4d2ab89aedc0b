/**
 * The peer port is open to the network: connections that never finish TLS, never send a
 * first line, or come in numbers must not pile up in the agent. Real sockets on 127.0.0.x.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import tls from 'node:tls';
import { PeerNet, type PeerLimits } from './peerNet.js';
import { tlsClientOptions } from './peerTls.js';
import { deriveKey } from './clusterSecrets.js';
import type { MapNode } from '../../shared/hpcMap.js';
import { testPort } from './testPort.test-util.js';

const nodes: MapNode[] = [
  { id: 1, host: '127.0.0.1', aliases: [], line: 1 },
  { id: 2, host: '127.0.0.2', aliases: [], line: 2 },
];
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

async function server(limits: Partial<PeerLimits>) {
  const port = testPort();
  const key = deriveKey(randomBytes(32), 'peer-tls');
  const mk = (selfId: number) =>
    new PeerNet({
      selfId,
      nodes,
      key,
      port,
      handlers: { 'peer.hello': () => ({ nodeId: selfId, version: 'v' }) },
      transferDir: () => '/nonexistent',
      limits,
    });
  const a = mk(1);
  const b = mk(2);
  await a.start();
  await b.start();
  cleanups.push(() => [a, b].forEach((n) => n.stop()));
  return { a, b, port, key };
}

/** A plain TCP connection to node 2's peer port that sends nothing. */
function rawClient(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.2', port, localAddress });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
    cleanups.push(() => s.destroy());
  });
}

function closed(s: Socket): Promise<boolean> {
  if (s.destroyed) return Promise.resolve(true);
  return new Promise((r) => s.once('close', () => r(true)));
}

/** Whether the server closed the socket within `ms` (the test's own patience, not a timing assertion). */
async function closedWithin(s: Socket, ms: number): Promise<boolean> {
  s.on('error', () => undefined);
  return Promise.race([closed(s), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

describe('peer server limits', () => {
  it('drops a connection that does not finish the TLS handshake', async () => {
    const { port } = await server({ handshakeMs: 300 });
    const s = await rawClient(port);
    s.write(Buffer.from([0x16, 0x03, 0x01])); // the start of a ClientHello, and no more
    expect(await closedWithin(s, 15_000)).toBe(true);
  });

  it('drops a TLS connection that never sends its first line', async () => {
    const { port, key } = await server({ firstLineMs: 300 });
    const s = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const c = tls.connect({ host: '127.0.0.2', port, ...tlsClientOptions(key) });
      c.once('secureConnect', () => resolve(c));
      c.once('error', reject);
      cleanups.push(() => c.destroy());
    });
    expect(await closedWithin(s, 15_000)).toBe(true);
  });

  it('keeps a connection that sent its first line, however idle afterwards', async () => {
    const { a } = await server({ firstLineMs: 300 });
    expect(await a.request(2, 'peer.hello', { from: 1, version: 'x' })).toEqual({ nodeId: 2, version: 'v' });
    await new Promise((r) => setTimeout(r, 1000));
    // The same connection serves the next request: the agents keep one open per peer.
    expect(await a.request(2, 'peer.hello', { from: 1, version: 'x' }, 2000)).toEqual({ nodeId: 2, version: 'v' });
  });

  it('caps the connections from one address, and frees the slots when they close', async () => {
    const { a, port } = await server({ perAddress: 3, maxConnections: 100, handshakeMs: 60_000 });
    const held = [await rawClient(port), await rawClient(port), await rawClient(port)];
    const extra = [await rawClient(port), await rawClient(port)];
    for (const s of extra) expect(await closedWithin(s, 10_000)).toBe(true);
    for (const s of held) expect(s.destroyed).toBe(false);
    // Another address still gets in, and node 1 gets in once its idle connections are gone.
    const other = await rawClient(port, '127.0.0.3');
    expect(await closedWithin(other, 500)).toBe(false);
    held.forEach((s) => s.destroy());
    await new Promise((r) => setTimeout(r, 200));
    expect(await a.request(2, 'peer.hello', { from: 1, version: 'x' })).toEqual({ nodeId: 2, version: 'v' });
  });

  it('caps the connections in all', async () => {
    const { port } = await server({ perAddress: 3, maxConnections: 4, handshakeMs: 60_000 });
    const from = ['127.0.0.1', '127.0.0.1', '127.0.0.3', '127.0.0.3'];
    const held = [];
    for (const addr of from) held.push(await rawClient(port, addr));
    const extra = await rawClient(port, '127.0.0.4');
    expect(await closedWithin(extra, 10_000)).toBe(true);
    for (const s of held) expect(s.destroyed).toBe(false);
  });
});
