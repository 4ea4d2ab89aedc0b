/**
 * The cluster key: 32 random bytes the GUI generates and installs on every node over SSH.
 * Each use gets its own key derived with HKDF, so the TLS key never doubles as the UDP one.
 */
import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeAtomic } from '../stateDir.js';
import { join } from 'node:path';
import { keyId } from '../../shared/clusterKey.js';
import { KEY_CHANGE_REFUSED } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';

export const KEY_FILE = 'cluster.key';

export function readClusterKey(stateDir: string): Buffer | undefined {
  try {
    const hex = readFileSync(join(stateDir, KEY_FILE), 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
  } catch {
    return undefined;
  }
}

const KEY_HEX = /^[0-9a-f]{64}$/;

export function writeClusterKey(stateDir: string, hex: string): void {
  if (typeof hex !== 'string' || !KEY_HEX.test(hex)) throw new Error('the cluster key must be 64 hex digits (32 bytes)');
  writeAtomic(join(stateDir, KEY_FILE), hex + '\n', 0o600);
}

/**
 * A node's key is never replaced silently: a second GUI with another key would split the
 * cluster. Another key is taken only by a rotation that names the key it replaces, so a
 * GUI acting on an old look at the node cannot replace a key it has not seen.
 */
export function checkKeyChange(installed: Buffer | undefined, hex: string, rotateFrom: string | undefined): void {
  if (typeof hex !== 'string' || !KEY_HEX.test(hex)) throw new Error('the cluster key must be 64 hex digits (32 bytes)');
  if (!installed) return;
  const have = keyId(installed);
  const offered = keyId(Buffer.from(hex, 'hex'));
  if (have === offered) return;
  if (rotateFrom === undefined) {
    throw new RpcError(
      KEY_CHANGE_REFUSED,
      `this node has cluster key ${have}, not ${offered}: a node's key is never replaced silently. In Mosixview, adopt the cluster's key, or rotate the key on every node at once`,
    );
  }
  if (rotateFrom !== have) {
    throw new RpcError(KEY_CHANGE_REFUSED, `rotation from key ${rotateFrom} refused: this node has key ${have} (changed meanwhile?); look at the nodes' keys again before rotating`);
  }
}

export function deriveKey(clusterKey: Buffer, purpose: 'peer-tls' | 'exchange-udp'): Buffer {
  return Buffer.from(hkdfSync('sha256', clusterKey, 'mosixview-cluster', purpose, 32));
}
