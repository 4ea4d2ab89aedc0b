import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { MAX_FORGED_ADDRESSES, TrafficLog } from './peerTraffic.js';
import { ExchangeSocket, seal } from './exchangeSocket.js';
import { deriveKey } from './clusterSecrets.js';
import type { MapNode } from '../../shared/hpcMap.js';

const nodes: MapNode[] = [
  { id: 1, host: '10.0.0.1', aliases: [], line: 1 },
  { id: 2, host: '10.0.0.2', aliases: ['192.168.0.2'], line: 2 },
  { id: 3, host: 'n3.lab', aliases: [], line: 3 },
];

describe('TrafficLog', () => {
  it('reports per peer what was taken (by sender ID) and dropped as forged (by address), with how long ago', () => {
    let now = 1000;
    const log = new TrafficLog(() => now);
    log.accepted(2);
    now = 3000;
    log.forged('192.168.0.2');
    log.forged('10.0.0.2');
    log.forged('10.9.9.9');
    now = 4000;
    expect(log.report(nodes, 1)).toEqual([
      { nodeId: 2, address: '10.0.0.2', accepted: 1, forged: 2, acceptedAgoMs: 3000, forgedAgoMs: 1000 },
      { nodeId: 3, address: 'n3.lab', accepted: 0, forged: 0, acceptedAgoMs: null, forgedAgoMs: null },
      { nodeId: null, address: '10.9.9.9', accepted: 0, forged: 1, acceptedAgoMs: null, forgedAgoMs: 1000 },
    ]);
  });

  it('keeps a bounded number of forged source addresses, dropping the oldest', () => {
    let now = 0;
    const log = new TrafficLog(() => now);
    log.forged('10.0.0.2');
    for (let i = 0; i < MAX_FORGED_ADDRESSES + 10; i++) {
      now++;
      log.forged(`172.16.${i >> 8}.${i & 255}`);
    }
    const r = log.report(nodes, 1);
    expect(r.find((e) => e.nodeId === 2)!.forged).toBe(0);
    expect(r.filter((e) => e.nodeId === null)).toHaveLength(8);
  });
});

describe('ExchangeSocket traffic', () => {
  it('counts a datagram sealed with another key as forged from its source, a good one as taken from its sender', () => {
    const key = deriveKey(randomBytes(32), 'exchange-udp');
    const sock = new ExchangeSocket(key, 1, 0, () => undefined);
    sock.receive(seal(key, { from: 2, seq: 1, t: Date.now(), body: {} }), '10.0.0.2');
    sock.receive(seal(deriveKey(randomBytes(32), 'exchange-udp'), { from: 3, seq: 1, t: Date.now(), body: {} }), 'n3.lab');
    const r = sock.traffic.report(nodes, 1);
    expect(r.map((e) => [e.nodeId, e.accepted, e.forged])).toEqual([[2, 1, 0], [3, 0, 1]]);
  });
});
