/**
 * The GUI's copy of the cluster key (the profile's key file, mode 0600). Created only when a
 * cluster without any key is opened; a profile copied without its key file gets no key of
 * its own but offers to adopt the cluster's (electron/core/clusterMembership.ts).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { keyId } from '../../shared/clusterKey.js';

export class ClusterKeyStore {
  constructor(readonly file: string) {}

  /** The profile's key, or undefined while it has none; a damaged file is an error naming it. */
  read(): Buffer | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`cannot read the cluster key ${this.file}: ${(e as Error).message}`);
    }
    const hex = text.trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${this.file} does not hold a cluster key (64 hex digits): fix or delete it`);
    return Buffer.from(hex, 'hex');
  }

  /** A new random key, unless another GUI created one meanwhile: then that one. */
  create(): Buffer {
    const key = randomBytes(32);
    try {
      writeKey(this.file, key);
      return key;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return this.read()!;
      throw new Error(`cannot create the cluster key ${this.file}: ${(e as Error).message}`);
    }
  }

  /**
   * Puts `key` (the cluster's, adopted) in the file. The previous key is kept next to it as
   * FILE.old-KEYID (0600): nothing is lost. Returns where it went.
   */
  replace(key: Buffer): string | undefined {
    const old = this.read();
    let kept: string | undefined;
    if (old && !old.equals(key)) {
      kept = `${this.file}.old-${keyId(old)}`;
      rmSync(kept, { force: true });
      linkSync(this.file, kept);
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    rmSync(tmp, { force: true });
    writeKey(tmp, key);
    renameSync(tmp, this.file);
    return kept;
  }
}

function writeKey(file: string, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Created ('wx') with mode 0600: the secret is never readable by others, not even for a moment.
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, key.toString('hex') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
