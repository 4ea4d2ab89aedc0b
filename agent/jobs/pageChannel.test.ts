/**
 * The page channel's integrity rests on the peer channel's TLS (see pageChannel.ts): these
 * run real CRIU-side streams through the agents' real TLS settings, once intact and once with
 * one byte changed on the wire, and check what each end counts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { tlsClientOptions, tlsServerOptions } from '../peer/peerTls.js';
import { IN_FLIGHT_BYTES, StreamPageChannel, type PagesSeen } from './pageChannel.js';

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

describe('page channel into CRIU', () => {
  it("gathers the records TLS hands over in one go into one write to the page server's fd 3", async () => {
    const { Duplex, PassThrough } = await import('node:stream');
    const peer = new PassThrough();
    const writes: number[] = [];
    const received: Buffer[] = [];
    const fd3 = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        writes.push(1);
        received.push(chunk);
        cb();
      },
      writev(chunks, cb) {
        writes.push(chunks.length);
        received.push(...chunks.map((c) => c.chunk as Buffer));
        cb();
      },
    });
    const channel = new StreamPageChannel('m', peer);
    void channel.bridge(fd3, 'receive');
    // One network read of 64 KiB decrypts into four 16 KiB records, delivered in one tick.
    const records = [0, 1, 2, 3].map((i) => Buffer.alloc(16384, i));
    peer.pause();
    for (const r of records) peer.push(r);
    peer.resume();
    await new Promise((r) => setTimeout(r, 20));
    expect(Buffer.concat(received).equals(Buffer.concat(records))).toBe(true);
    expect(channel.bytes()).toBe(4 * 16384);
    // Each write costs a system call (dear on a VM) and a wake-up of the page server.
    expect(writes).toEqual([4]);
  });

  it('keeps reading CRIU while the peer takes its time, and pauses once 1 MiB waits for it', async () => {
    const { Duplex } = await import('node:stream');
    // A peer that takes nothing yet (TLS still encrypting, the network full).
    const peer = new Duplex({ read() {}, write: () => undefined });
    const fd3 = new Duplex({ read() {}, write: (_c, _e, cb: () => void) => cb() });
    const channel = new StreamPageChannel('m', peer);
    void channel.bridge(fd3, 'send');
    // CRIU's fd 3 is read 64 KiB at a time.
    for (let i = 0; i < 20; i++) fd3.push(Buffer.alloc(65536, i));
    await new Promise((r) => setTimeout(r, 20));
    expect(channel.bytes()).toBe(IN_FLIGHT_BYTES);
    expect(fd3.isPaused()).toBe(true);
  });
});
