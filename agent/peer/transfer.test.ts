/**
 * Transfers that must fail cleanly: too big for the node, or a disk that refuses the
 * write (full, a directory in the way). The agent must keep serving, the sender must
 * learn why, and no half-written file may stay behind.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { checkHeader, DEFAULT_MAX_TRANSFER_BYTES, receiveFiles } from './transfer.js';
import { PeerNet } from './peerNet.js';
import { deriveKey } from './clusterSecrets.js';
import type { MapNode } from '../../shared/hpcMap.js';
import type { TransferHeader } from '../../shared/protocol/peer.js';
import { testPort } from './testPort.test-util.js';

const GiB = 1024 ** 3;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
/** A fresh directory, removed after the tests. */
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

const header = (files: [string, number][], transfer = 't1'): TransferHeader => ({
  transfer,
  from: 1,
  files: files.map(([name, size]) => ({ name, size, sha256: '' })),
});

/** The bytes a sender puts on the wire for these files (after the header line). */
function wire(bodies: Buffer[]): Buffer {
  return Buffer.concat(bodies.flatMap((b) => [b, createHash('sha256').update(b).digest()]));
}

/** Feeds `data` in 16 KiB chunks, as a socket would, and ends. */
function feed(s: PassThrough, data: Buffer): void {
  for (let i = 0; i < data.length; i += 16384) s.write(data.subarray(i, i + 16384));
  s.end();
}

describe('transfer size limits', () => {
  it('defaults to 64 GiB per transfer', () => {
    expect(DEFAULT_MAX_TRANSFER_BYTES).toBe(64 * GiB);
  });

  it('refuses a file or a total over the limit, naming the limit and how to change it', () => {
    expect(() => checkHeader(header([['pages-1.img', 65 * GiB]]))).toThrow(
      /pages-1\.img.*65\.0 GiB.*over this node's limit of 64\.0 GiB per transfer \(MOSIXVIEW_TRANSFER_MAX_BYTES on that node raises it\)/,
    );
    expect(() => checkHeader(header([['a.img', 40 * GiB], ['b.img', 40 * GiB]]))).toThrow(/2 files of 80\.0 GiB in all.*limit of 64\.0 GiB/);
    expect(() => checkHeader(header([['a.img', 600], ['b.img', 500]]), 1000)).toThrow(/limit of 1000 B per transfer/);
    expect(checkHeader(header([['a.img', 500], ['b.img', 500]]), 1000).files).toHaveLength(2);
  });

  it('refuses a name announced twice (the second would overwrite the first)', () => {
    expect(() => checkHeader(header([['a.img', 1], ['a.img', 2]]))).toThrow(/a\.img.*twice/);
  });

  it('refuses an announced total the target disk does not have free', async () => {
    const dir = tempDir('mv-recv-');
    const s = new PassThrough();
    const p = receiveFiles(s, header([['pages-1.img', 2 ** 52]]), dir, Buffer.alloc(0));
    await expect(p).rejects.toThrow(/needs 4194304\.0 GiB .*only .* free/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never writes more than announced, whatever the sender sends', async () => {
    const dir = tempDir('mv-recv-');
    let written = 0;
    const sink = () =>
      new Writable({
        write(chunk: Buffer, _e, cb) {
          written += chunk.length;
          cb();
        },
      });
    const s = new PassThrough();
    const p = receiveFiles(s, header([['a.img', 1000]]), dir, Buffer.alloc(0), { openFile: sink });
    // 5000 bytes where 1000 were announced: the surplus is read as the checksum, which fails.
    feed(s, wire([randomBytes(5000)]));
    await expect(p).rejects.toThrow(/checksum mismatch on a\.img/);
    expect(written).toBe(1000);
  });
});

describe('a disk that refuses the image', () => {
  it('a directory where the file should go (EISDIR): refused with the reason, nothing left behind', async () => {
    const dir = tempDir('mv-recv-');
    mkdirSync(join(dir, 'b.img.part'));
    const bodies = [randomBytes(3000), randomBytes(70_000)];
    const s = new PassThrough();
    const p = receiveFiles(s, header([['a.img', 3000], ['b.img', 70_000]]), dir, Buffer.alloc(0), { who: 'node 2' });
    feed(s, wire(bodies));
    await expect(p).rejects.toThrow(/^node 2 cannot store the image in .*: a directory is in the way \(EISDIR, writing b\.img\)/);
    // The directory is not ours to remove; no file of ours is half-written.
    expect(readdirSync(dir).sort()).toEqual(['a.img', 'b.img.part']);
    expect(lstatSync(join(dir, 'b.img.part')).isDirectory()).toBe(true);
  });

  it('a directory where the finished file should go (EISDIR on rename)', async () => {
    const dir = tempDir('mv-recv-');
    mkdirSync(join(dir, 'a.img'));
    const s = new PassThrough();
    const p = receiveFiles(s, header([['a.img', 3000]]), dir, Buffer.alloc(0));
    feed(s, wire([randomBytes(3000)]));
    await expect(p).rejects.toThrow(/this node cannot store the image in .*: a directory is in the way \(EISDIR, writing a\.img\)/);
    expect(readdirSync(dir)).toEqual(['a.img']);
  });

  it('a disk that fills up on the second file (ENOSPC from the kernel, /dev/full)', async () => {
    const dir = tempDir('mv-recv-');
    symlinkSync('/dev/full', join(dir, 'b.img.part'));
    const bodies = [randomBytes(100_000), randomBytes(300_000), randomBytes(10)];
    const s = new PassThrough();
    const p = receiveFiles(s, header([['a.img', 100_000], ['b.img', 300_000], ['c.img', 10]]), dir, Buffer.alloc(0));
    feed(s, wire(bodies));
    await expect(p).rejects.toThrow(/cannot store the image in .*: the disk is full \(ENOSPC, writing b\.img\)/);
    expect(readdirSync(dir)).toEqual(['a.img']);
    expect(readFileSync(join(dir, 'a.img')).equals(bodies[0]!)).toBe(true);
  });

  it('a write that fails midway through a file (ENOSPC after 64 KiB)', async () => {
    const dir = tempDir('mv-recv-');
    const opened: string[] = [];
    const filling = (path: string) => {
      opened.push(path);
      let taken = 0;
      writeFileSync(path, ''); // as a real stream would create it
      return new Writable({
        highWaterMark: 16384,
        write(chunk: Buffer, _e, cb) {
          taken += chunk.length;
          if (taken > 65536) cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
          else setImmediate(cb);
        },
      });
    };
    const s = new PassThrough();
    const p = receiveFiles(s, header([['pages-1.img', 1_000_000]]), dir, Buffer.alloc(0), { openFile: filling });
    // The sender goes on sending; the receiver must answer anyway, not wait for the rest.
    s.write(randomBytes(200_000));
    await expect(p).rejects.toThrow(/the disk is full \(ENOSPC, writing pages-1\.img\)/);
    expect(opened).toEqual([join(dir, 'pages-1.img.part')]);
    expect(existsSync(join(dir, 'pages-1.img.part'))).toBe(false);
  });
});

describe('over the peer channel', () => {
  const nodes: MapNode[] = [
    { id: 1, host: '127.0.0.1', aliases: [], line: 1 },
    { id: 2, host: '127.0.0.2', aliases: [], line: 2 },
  ];

  async function pair(maxTransferBytes?: number) {
    const port = testPort();
    const dir = tempDir('mv-peer-');
    const key = deriveKey(randomBytes(32), 'peer-tls');
    const mk = (selfId: number) =>
      new PeerNet({
        selfId,
        nodes,
        key,
        port,
        handlers: { 'peer.hello': () => ({ nodeId: selfId, version: 'v' }) },
        transferDir: (h) => join(dir, `n${selfId}`, h.transfer),
        maxTransferBytes,
      });
    const a = mk(1);
    const b = mk(2);
    await a.start();
    await b.start();
    cleanups.push(() => [a, b].forEach((n) => n.stop()));
    return { a, dir };
  }

  it('a full disk on the target fails that transfer with the reason, and the agent goes on serving', async () => {
    const { a, dir } = await pair();
    const target = join(dir, 'n2', 'job-1');
    mkdirSync(target, { recursive: true });
    symlinkSync('/dev/full', join(target, 'pages-1.img.part'));
    const src = tempDir('mv-src-');
    writeFileSync(join(src, 'pages-1.img'), randomBytes(2_000_000));
    await expect(a.sendFiles(2, 'job-1', [join(src, 'pages-1.img')])).rejects.toThrow(
      /node 2 cannot store the image in .*job-1: the disk is full \(ENOSPC, writing pages-1\.img\)/,
    );
    expect(readdirSync(target)).toEqual([]);
    expect(await a.request(2, 'peer.hello', { from: 1, version: 'x' })).toEqual({ nodeId: 2, version: 'v' });
    const again = await a.sendFiles(2, 'job-2', [join(src, 'pages-1.img')]);
    expect(again.bytes).toBe(2_000_000);
  });

  it('a transfer over the target\'s limit is refused before any byte is written', async () => {
    const { a, dir } = await pair(1_000_000);
    const src = tempDir('mv-src-');
    writeFileSync(join(src, 'pages-1.img'), randomBytes(1_500_000));
    await expect(a.sendFiles(2, 'job-1', [join(src, 'pages-1.img')])).rejects.toThrow(/node 2 refused the transfer: .*over this node's limit of 976\.6 KiB per transfer/);
    expect(existsSync(join(dir, 'n2', 'job-1'))).toBe(false);
  });
});
