/** Names a cluster key without revealing it, so the GUI can tell whether a node has the right one. */
import { createHash } from 'node:crypto';

export function keyId(key: Buffer): string {
  return createHash('sha256').update('mosixview-key-id\0').update(key).digest('hex').slice(0, 16);
}
