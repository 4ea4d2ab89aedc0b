/**
 * The cluster key: 32 random bytes the GUI generates and installs on every node over SSH.
 * Each use gets its own key derived with HKDF, so the TLS key never doubles as the UDP one.
 */
import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeAtomic } from '../stateDir.js';
import { join } from 'node:path';

export const KEY_FILE = 'cluster.key';

export function readClusterKey(stateDir: string): Buffer | undefined {
  try {
    const hex = readFileSync(join(stateDir, KEY_FILE), 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
  } catch {
    return undefined;
  }
}

export function writeClusterKey(stateDir: string, hex: string): void {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('the cluster key must be 64 hex digits (32 bytes)');
  writeAtomic(join(stateDir, KEY_FILE), hex + '\n', 0o600);
}

export function deriveKey(clusterKey: Buffer, purpose: 'peer-tls' | 'exchange-udp'): Buffer {
  return Buffer.from(hkdfSync('sha256', clusterKey, 'mosixview-cluster', purpose, 32));
}
