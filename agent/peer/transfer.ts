/**
 * Bulk file transfer between agents (CRIU images): a JSON header line, then each file's
 * bytes followed by its 32-byte SHA-256, then one JSON answer line from the receiver.
 * The receiver writes NAME.part, checks the digest and only then renames it to NAME.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createReadStream, createWriteStream, lstatSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Duplex, Writable } from 'node:stream';
import type { NodeId } from '../../shared/domain/node.js';
import type { TransferHeader, TransferResult } from '../../shared/protocol/peer.js';
import { checkHeader, formatBytes } from './transferHeader.js';
import { diskProblem } from './diskError.js';

export { checkHeader, DEFAULT_MAX_TRANSFER_BYTES, maxTransferBytes } from './transferHeader.js';

const DIGEST = 32;

export interface ReceiveOptions {
  /** Who receives, for the messages the sender gets ("node 2"). */
  who?: string;
  /** Opens a file for writing; tests put a failing disk here. */
  openFile?: (path: string) => Writable;
}

/** Bytes the agent may still write on the file system of `dir`, when Node can tell (statfs: Node >= 18.15). */
function freeBytes(dir: string): number | undefined {
  const statfs = (fs as { statfsSync?: (p: string) => { bavail: number; bsize: number } }).statfsSync;
  if (!statfs) return undefined;
  try {
    const s = statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** Removes what this transfer left half-written; a directory in the way is not ours to remove. */
function removePart(path: string): void {
  try {
    if (!lstatSync(path).isDirectory()) rmSync(path, { force: true });
  } catch {
    /* absent, or not removable: nothing more to do here */
  }
}

/**
 * Receives the files announced by `header` from `sock`, whose already-read bytes are `rest`.
 * Never writes more than announced: each file takes its announced size, the next 32 bytes
 * are its digest. A disk that refuses a write (full, read-only, a directory in the way)
 * fails the transfer with the reason, and removes the half-written file: the agent goes on.
 */
export async function receiveFiles(sock: Duplex, header: TransferHeader, dir: string, rest: Buffer, opts: ReceiveOptions = {}): Promise<TransferResult> {
  const who = opts.who ?? 'this node';
  const openFile = opts.openFile ?? ((path: string) => createWriteStream(path));
  const cannotStore = (e: unknown, doing: string) => new Error(`${who} cannot store the image in ${dir}: ${diskProblem(e, doing)}`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw cannotStore(e, 'creating its directory');
  }
  const need = header.files.reduce((sum, f) => sum + f.size, 0);
  const free = freeBytes(dir);
  if (free !== undefined && need > free) {
    throw new Error(`${who} cannot store the image in ${dir}: it needs ${formatBytes(need)} and the disk has only ${formatBytes(free)} free`);
  }

  let index = 0;
  let remaining = header.files[0]?.size ?? 0;
  let hash = createHash('sha256');
  let out: Writable | undefined;
  let pendingDigest = Buffer.alloc(0);
  let total = 0;
  /** The first write error, set by the stream's 'error' event (without a listener it would kill the agent). */
  let writeFailure: Error | undefined;
  let wake: (() => void) | undefined;
  let onFailure: (() => void) | undefined;

  const openNext = () => {
    const f = header.files[index];
    if (!f) return;
    const w = openFile(join(dir, `${f.name}.part`));
    w.on('error', (e: Error) => {
      writeFailure ??= cannotStore(e, `writing ${f.name}`);
      wake?.();
      onFailure?.();
    });
    out = w;
    remaining = f.size;
    hash = createHash('sha256');
  };
  const checkWrites = () => {
    if (writeFailure) throw writeFailure;
  };
  const drained = (w: Writable) =>
    new Promise<void>((resolve) => {
      const done = () => {
        w.off('drain', done);
        wake = undefined;
        resolve();
      };
      wake = done;
      w.on('drain', done);
      if (writeFailure) done();
    });
  const finishFile = async (digest: Buffer) => {
    const f = header.files[index]!;
    const w = out!;
    await new Promise<void>((res, rej) => w.end((e?: Error | null) => (e ? rej(writeFailure ?? cannotStore(e, `writing ${f.name}`)) : res())));
    checkWrites();
    if (!hash.digest().equals(digest)) throw new Error(`checksum mismatch on ${f.name}: the image was damaged in transit`);
    try {
      renameSync(join(dir, `${f.name}.part`), join(dir, f.name));
    } catch (e) {
      throw cannotStore(e, `writing ${f.name}`);
    }
    index++;
    openNext();
  };

  openNext();
  const consume = async (chunk: Buffer) => {
    while (chunk.length > 0 && index < header.files.length) {
      checkWrites();
      if (remaining > 0) {
        const part = chunk.subarray(0, remaining);
        chunk = chunk.subarray(part.length);
        remaining -= part.length;
        total += part.length;
        hash.update(part);
        if (!out!.write(part)) await drained(out!);
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
    checkWrites();
  };

  try {
    if (header.files.length === 0) return { bytes: 0, dir };
    await consume(rest);
    // Not `for await`: leaving that loop early would destroy the socket the answer goes on.
    await new Promise<void>((resolve, reject) => {
      const finished = () => index >= header.files.length;
      let settled = false;
      const settle = (e?: Error) => {
        if (settled) return;
        settled = true;
        sock.off('data', onData);
        sock.off('end', onEnd);
        sock.off('close', onEnd);
        sock.off('error', onEnd);
        onFailure = undefined;
        if (e) reject(e);
        else resolve();
      };
      // One step at a time: a chunk is written before the next is looked at, and the verdict
      // on the end of the stream or on a failed write waits for the step under way.
      let busy: Promise<void> = Promise.resolve();
      const step = (fn: () => Promise<void> | void) => {
        busy = busy
          .then(() => (settled ? undefined : fn()))
          .then(
            () => (finished() ? settle() : undefined),
            (e: Error) => settle(e),
          );
      };
      const onData = (chunk: Buffer) => {
        sock.pause();
        step(async () => {
          await consume(chunk);
          if (!finished()) sock.resume();
        });
      };
      const onEnd = () =>
        step(() => {
          if (!finished()) throw new Error(`the sender went away after ${total} bytes (file ${header.files[index]!.name})`);
        });
      // A write can fail while no data is coming: answer the sender now, not at its next chunk.
      onFailure = () => step(checkWrites);
      if (finished()) return settle();
      sock.on('data', onData);
      sock.on('end', onEnd);
      sock.on('close', onEnd);
      sock.on('error', onEnd);
      if (writeFailure) onFailure();
      sock.resume();
    });
    return { bytes: total, dir };
  } catch (e) {
    // The stream opens its file asynchronously: wait until it is closed, or the removal below
    // could run before the file exists and leave a fresh .part behind.
    const w = out;
    if (w && !w.closed) await new Promise<void>((r) => (w.once('close', () => r()), w.destroy()));
    for (const f of header.files) removePart(join(dir, `${f.name}.part`));
    throw e;
  }
}

/** Sends files on an open, authenticated connection and waits for the receiver's answer. */
export async function sendFiles(sock: Duplex, transfer: string, from: NodeId, paths: string[]): Promise<TransferResult> {
  const files = paths.map((p) => ({ name: basename(p), size: statSync(p).size, sha256: '' }));
  const header: TransferHeader = { transfer, from, files };
  checkHeader(header, Number.MAX_SAFE_INTEGER); // the receiver judges the size against its own limit
  const answer = readAnswer(sock);
  // An answer before the end is a refusal (a full disk there): stop sending at once.
  let answered = false;
  const settled = answer.then(
    () => void (answered = true),
    () => void (answered = true),
  );
  sock.write(JSON.stringify(header) + '\n');
  for (const p of paths) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) {
      if (sock.destroyed || answered) return answer; // the answer promise carries why
      hash.update(chunk as Buffer);
      if (!sock.write(chunk)) await Promise.race([drainOrClose(sock), settled]);
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
