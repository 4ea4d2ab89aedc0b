/**
 * The page channel's integrity rests on the peer channel's TLS (see pageChannel.ts): these
 * run real CRIU-side streams through the agents' real TLS settings, once intact and once with
 * one byte changed on the wire, and check what each end counts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { tlsClientOptions, tlsServerOptions } from '../peer/peerNet.js';
import { StreamPageChannel, type PagesSeen } from './pageChannel.js';

const key = randomBytes(32);
const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

const listen = async (s: Server): Promise<number> => {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as { port: number }).port;
};

/** A connected pair of plain sockets: one end stands for CRIU's fd 3, the other is CRIU. */
async function socketPair(): Promise<[Socket, Socket]> {
  let accepted!: (s: Socket) => void;
  const got = new Promise<Socket>((r) => (accepted = r));
  const port = await listen(createServer((s) => accepted(s)));
  const a = connect(port, '127.0.0.1');
  return [a, await got];
}

/**
 * Source CRIU writes `pages` into its fd 3; they cross TLS (through `wire`, which may change
 * them) to the target's fd 3. Resolves with what each end counted and what the target's CRIU read.
 */
async function carry(pages: Buffer, wire: (chunk: Buffer) => Buffer): Promise<{ sent: PagesSeen; got: PagesSeen; read: Buffer; cipher: string | undefined }> {
  let onTarget!: (s: tls.TLSSocket) => void;
  const targetTls = new Promise<tls.TLSSocket>((r) => (onTarget = r));
  const tlsPort = await listen(tls.createServer(tlsServerOptions(key), (s) => onTarget(s)));
  // A man in the middle on the TCP path, without the key.
  const proxyPort = await listen(createServer((down) => {
    const up = connect(tlsPort, '127.0.0.1');
    down.on('data', (d: Buffer) => up.write(wire(d)));
    up.on('data', (d: Buffer) => down.write(d));
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
    down.on('error', () => undefined);
    up.on('error', () => undefined);
  }));
  const sourceTls = tls.connect({ host: '127.0.0.1', port: proxyPort, ...tlsClientOptions(key) });
  sourceTls.on('error', () => undefined);
  await new Promise((r) => sourceTls.once('secureConnect', r));
  const cipher = sourceTls.getCipher()?.name;
  const [srcFd3, srcCriu] = await socketPair();
  const [dstFd3, dstCriu] = await socketPair();
  const source = new StreamPageChannel('m', sourceTls);
  const target = new StreamPageChannel('m', await targetTls);
  const chunks: Buffer[] = [];
  dstCriu.on('data', (d: Buffer) => chunks.push(d));
  dstCriu.on('error', () => undefined);
  srcCriu.on('error', () => undefined);
  const sent = source.bridge(srcFd3, 'send');
  const got = target.bridge(dstFd3, 'receive');
  srcCriu.end(pages);
  // The target's page server ends once its input ends (or breaks).
  dstCriu.on('end', () => dstCriu.end());
  const s = await sent;
  srcCriu.destroy();
  return { sent: s, got: await got, read: Buffer.concat(chunks), cipher };
}

describe('page channel over the peer TLS', () => {
  it('counts the same bytes at both ends and delivers them unchanged', async () => {
    const pages = randomBytes(3 * 2 ** 20 + 123);
    const r = await carry(pages, (d) => d);
    expect(r.sent.bytes).toBe(pages.length);
    expect(r.got.bytes).toBe(pages.length);
    expect(r.read.equals(pages)).toBe(true);
    // The suite agreed on: AEAD (every record checked) with forward secrecy, the fastest measured.
    expect(r.cipher).toBe('DHE-PSK-AES128-GCM-SHA256');
  });

  it('one byte changed on the wire: the target never passes it on, and its count falls short', async () => {
    const pages = randomBytes(3 * 2 ** 20);
    let seen = 0;
    let flipped = false;
    const r = await carry(pages, (d) => {
      // Past the handshake, in the middle of the pages.
      if (!flipped && seen + d.length > 2 ** 20) {
        d = Buffer.from(d);
        d[d.length >> 1]! ^= 1;
        flipped = true;
      }
      seen += d.length;
      return d;
    });
    expect(flipped).toBe(true);
    expect(r.got.bytes).toBeLessThan(r.sent.bytes);
    // What arrived is an unchanged prefix of what was sent.
    expect(r.read.equals(pages.subarray(0, r.read.length))).toBe(true);
  });
});
