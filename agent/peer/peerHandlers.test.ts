import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerService } from './peerService.js';

describe('peer requests have one owner each', () => {
  it('refuses a feature registering a peer request another feature (or the service) serves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-peer-'));
    try {
      const peers = new PeerService(dir, '0.1.0');
      peers.registerHandlers('migrate', { 'mig.status': () => ({ phase: 'none' }) } as never);
      expect(() => peers.registerHandlers('balance', { 'mig.status': () => ({ phase: 'none' }) } as never)).toThrow(
        'two handlers for the peer request "mig.status": migrate and balance both declare it',
      );
      expect(() => peers.registerHandlers('thief', { 'peer.hello': () => ({ nodeId: 1, version: 'x' }) } as never)).toThrow(/"peer.hello": the peer service and thief/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
