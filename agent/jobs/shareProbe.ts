/**
 * The I/O half of the shared-files check: marker files written in a directory here, looked
 * for by another node (peer request share.look), and file stamps (size, modification time).
 * Nothing here follows a path a peer names beyond one stat and one small read.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileStamp, ShareMarker } from '../../shared/jobs/targetFacts.js';
import type { PeerJobRequests } from '../../shared/protocol/peerJobs.js';

export const MARKER_PREFIX = '.mosixview-share-';

/** Writes a fresh marker in `dir`; throws (EACCES, EROFS, ENOENT ...) when it cannot. */
export function writeMarker(dir: string): ShareMarker {
  const m: ShareMarker = { dir, name: `${MARKER_PREFIX}${randomBytes(16).toString('hex')}`, token: randomBytes(32).toString('hex') };
  // 'wx': never overwrite a file that is there; the name is new anyway.
  writeFileSync(join(dir, m.name), m.token, { flag: 'wx', mode: 0o644 });
  return m;
}

export function removeMarker(m: ShareMarker): void {
  rmSync(join(m.dir, m.name), { force: true });
}

/** True when the marker is here with its token; false for anything else (absent, unreadable, other content). */
export function markerSeen(m: ShareMarker): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(join(m.dir, m.name), 'r');
    const buf = Buffer.alloc(m.token.length + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8') === m.token;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A regular file's stamp, or null when there is none at that path. */
export function stampOf(path: string): FileStamp | null {
  try {
    const s = statSync(path);
    return s.isFile() ? { size: s.size, mtimeMs: Math.trunc(s.mtimeMs) } : null;
  } catch {
    return null;
  }
}

type Look = PeerJobRequests['share.look'];

/** The peer's side of share.look (the request is validated before it gets here). */
export function answerLook(req: Look['req']): Look['res'] {
  return { markers: req.markers.map(markerSeen), files: req.files.map(stampOf) };
}
