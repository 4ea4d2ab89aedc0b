/**
 * Bulk file transfer between agents (CRIU images): a JSON header line, then each file's
 * bytes followed by its 32-byte SHA-256, then one JSON answer line from the receiver.
 * The receiver writes NAME.part, checks the digest and only then renames it to NAME.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { NodeId } from '../../shared/domain/node.js';
import type { TransferHeader, TransferResult } from '../../shared/protocol/peer.js';

const DIGEST = 32;
const SAFE_NAME = /^[A-Za-z0-9._-]{1,200}$/;

export function checkHeader(h: unknown): TransferHeader {
  const t = h as TransferHeader;
  if (typeof t?.transfer !== 'string' || !SAFE_NAME.test(t.transfer) || !Array.isArray(t.files)) throw new Error('bad transfer header');
  for (const f of t.files) {
    if (!SAFE_NAME.test(f.name) || f.name.startsWith('.') || !Number.isSafeInteger(f.size) || f.size < 0) {
      throw new Error(`bad file entry in transfer header: ${JSON.stringify(f).slice(0, 100)}`);
    }
  }
  return t;
}

/** Receives the files announced by `header` from `sock`, whose already-read bytes are `rest`. */
export async function receiveFiles(sock: Duplex, header: TransferHeader, dir: string, rest: Buffer): Promise<TransferResult> {
  mkdirSync(dir, { recursive: true });
  let index = 0;
  let remaining = header.files[0]?.size ?? 0;
  let hash = createHash('sha256');
  let out: WriteStream | undefined;
  let pendingDigest = Buffer.alloc(0);
  let total = 0;

  const openNext = () => {
    const f = header.files[index];
    if (!f) return;
    out = createWriteStream(join(dir, `${f.name}.part`));
    remaining = f.size;
    hash = createHash('sha256');
  };
  const finishFile = async (digest: Buffer) => {
    const f = header.files[index]!;
    const w = out!;
    await new Promise<void>((res, rej) => w.end((e?: Error | null) => (e ? rej(e) : res())));
    if (!hash.digest().equals(digest)) throw new Error(`checksum mismatch on ${f.name}: the image was damaged in transit`);
    renameSync(join(dir, `${f.name}.part`), join(dir, f.name));
    index++;
    openNext();
  };

  openNext();
  const consume = async (chunk: Buffer) => {
    while (chunk.length > 0 && index < header.files.length) {
      if (remaining > 0) {
        const part = chunk.subarray(0, remaining);
        chunk = chunk.subarray(part.length);
        remaining -= part.length;
        total += part.length;
        hash.update(part);
        if (!out!.write(part)) await new Promise<void>((r) => out!.once('drain', () => r()));
      } else {
        const need = DIGEST - pendingDigest.length;
        pendingDigest = Buffer.concat([pendingDigest, chunk.subarray(0, need)]);
        chunk = chunk.subarray(need);
        if (pendingDigest.length === DIGEST) {
          const digest = pendingDigest;
          pendingDigest = Buffer.alloc(0);
          await finishFile(digest);
        }
      }
    }
  };

  try {
    if (header.files.length === 0) return { bytes: 0, dir };
    await consume(rest);
    // Not `for await`: leaving that loop early would destroy the socket the answer goes on.
    await new Promise<void>((resolve, reject) => {
      const finished = () => index >= header.files.length;
      const cleanup = () => {
        sock.off('data', onData);
        sock.off('end', onEnd);
        sock.off('close', onEnd);
        sock.off('error', onEnd);
      };
      let busy: Promise<void> = Promise.resolve();
      const onData = (chunk: Buffer) => {
        sock.pause();
        busy = consume(chunk).then(
          () => (finished() ? (cleanup(), resolve()) : void sock.resume()),
          (e: Error) => (cleanup(), reject(e)),
        );
      };
      // 'end' can come while the last chunk is still being written: judge after it.
      const onEnd = () => {
        cleanup();
        void busy.then(() => {
          if (finished()) resolve();
          else reject(new Error(`the sender went away after ${total} bytes (file ${header.files[index]!.name})`));
        });
      };
      if (finished()) return resolve();
      sock.on('data', onData);
      sock.on('end', onEnd);
      sock.on('close', onEnd);
      sock.on('error', onEnd);
      sock.resume();
    });
    return { bytes: total, dir };
  } catch (e) {
    // The stream opens its file asynchronously: wait until it is closed, or the removal below
    // could run before the file exists and leave a fresh .part behind.
    const w = out;
    if (w && !w.closed) await new Promise<void>((r) => (w.once('close', () => r()), w.destroy()));
    for (const f of header.files) rmSync(join(dir, `${f.name}.part`), { force: true });
    throw e;
  }
}

/** Sends files on an open, authenticated connection and waits for the receiver's answer. */
export async function sendFiles(sock: Duplex, transfer: string, from: NodeId, paths: string[]): Promise<TransferResult> {
  const files = paths.map((p) => ({ name: basename(p), size: statSync(p).size, sha256: '' }));
  const header: TransferHeader = { transfer, from, files };
  checkHeader(header);
  const answer = readAnswer(sock);
  // Handled here too: if sending fails first, the answer's later rejection must not go unhandled.
  answer.catch(() => undefined);
  sock.write(JSON.stringify(header) + '\n');
  for (const p of paths) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) {
      if (sock.destroyed) return answer; // the answer promise carries why
      hash.update(chunk as Buffer);
      if (!sock.write(chunk)) await drainOrClose(sock);
    }
    sock.write(hash.digest());
  }
  return answer;
}

function drainOrClose(sock: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sock.off('drain', done);
      sock.off('close', done);
      resolve();
    };
    sock.on('drain', done);
    sock.on('close', done);
  });
}

function readAnswer(sock: Duplex): Promise<TransferResult> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      cleanup();
      try {
        const a = JSON.parse(buf.slice(0, nl)) as { ok: boolean; error?: string } & TransferResult;
        if (a.ok) resolve({ bytes: a.bytes, dir: a.dir });
        else reject(new Error(a.error ?? 'the receiver refused the transfer'));
      } catch {
        reject(new Error('unreadable answer from the receiving agent'));
      }
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('the receiving agent closed the connection during the transfer'));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(new Error(`transfer connection failed: ${e.message}`));
    };
    const cleanup = () => {
      sock.off('data', onData);
      sock.off('close', onEnd);
      sock.off('error', onError);
    };
    sock.on('data', onData);
    sock.on('close', onEnd);
    sock.on('error', onError);
  });
}
