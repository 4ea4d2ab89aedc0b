/** The GUI's copy of the cluster key: created once (0600), then installed on every node over SSH. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function loadOrCreateClusterKey(file: string): Buffer {
  try {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} does not hold a cluster key (64 hex digits): fix or delete it`);
    return Buffer.from(hex, 'hex');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // 'wx': two GUIs starting at once must not overwrite each other's fresh key.
  try {
    writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateClusterKey(file);
    throw new Error(`cannot create the cluster key ${file}: ${(e as Error).message}`);
  }
}
