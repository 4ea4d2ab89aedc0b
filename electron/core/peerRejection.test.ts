import { describe, expect, it } from 'vitest';
import { rejections, RECENT_MS, type NodeReport } from './peerRejection.js';
import type { ClusterInfo, PeerTraffic } from '../../shared/protocol/agent.js';

/** What node `id` (key `key`) says about each peer: 'ok' taken just now, 'forged' dropped just now, 'old' forged long ago. */
function report(id: number, key: string, about: Record<number, 'ok' | 'forged' | 'old' | 'both'>): NodeReport {
  const peers: PeerTraffic[] = Object.entries(about).map(([peer, what]) => ({
    nodeId: Number(peer),
    address: `10.0.0.${peer}`,
    accepted: what === 'ok' || what === 'both' ? 10 : 0,
    forged: what === 'ok' ? 0 : 10,
    acceptedAgoMs: what === 'ok' ? 300 : what === 'both' ? 200 : null,
    forgedAgoMs: what === 'forged' ? 400 : what === 'old' ? RECENT_MS + 1 : what === 'both' ? 900 : null,
  }));
  const info = { keyId: key, peers } as Partial<ClusterInfo> as ClusterInfo;
  return { id, addresses: [`10.0.0.${id}`], info };
}

describe('rejections', () => {
  it('3-1: only the node with the other key is shown, naming who rejects it and both keys', () => {
    const r = rejections([
      report(1, 'aa', { 2: 'ok', 3: 'forged', 4: 'ok' }),
      report(2, 'aa', { 1: 'ok', 3: 'forged', 4: 'ok' }),
      report(3, 'bb', { 1: 'forged', 2: 'forged', 4: 'forged' }),
      report(4, 'aa', { 1: 'ok', 2: 'ok', 3: 'forged' }),
    ]);
    expect([...r]).toEqual([[3, "peers reject this node's cluster key: nodes 1, 2, 4 drop its load-exchange datagrams as forged (this node has key bb, they have aa)"]]);
  });

  it('an even split shows every node', () => {
    const r = rejections([
      report(1, 'aa', { 2: 'ok', 3: 'forged', 4: 'forged' }),
      report(2, 'aa', { 1: 'ok', 3: 'forged', 4: 'forged' }),
      report(3, 'bb', { 1: 'forged', 2: 'forged', 4: 'ok' }),
      report(4, 'bb', { 1: 'forged', 2: 'forged', 3: 'ok' }),
    ]);
    expect([...r.keys()]).toEqual([1, 2, 3, 4]);
  });

  it('a healthy cluster, forged datagrams long ago, or taken again since: nobody is shown', () => {
    expect(rejections([report(1, 'aa', { 2: 'ok' }), report(2, 'aa', { 1: 'ok' })]).size).toBe(0);
    expect(rejections([report(1, 'aa', { 2: 'old' }), report(2, 'aa', { 1: 'old' })]).size).toBe(0);
    expect(rejections([report(1, 'aa', { 2: 'both' }), report(2, 'aa', { 1: 'both' })]).size).toBe(0);
  });

  it('one peer fooled by a forger using node 1\'s address does not outvote the others', () => {
    const r = rejections([report(1, 'aa', { 2: 'ok', 3: 'ok' }), report(2, 'aa', { 1: 'forged', 3: 'ok' }), report(3, 'aa', { 1: 'ok', 2: 'ok' })]);
    expect(r.size).toBe(0);
  });

  it('forged datagrams from an address the map does not name are placed by the node\'s resolved address', () => {
    const peer: PeerTraffic = { nodeId: null, address: '192.168.9.3', accepted: 0, forged: 5, acceptedAgoMs: null, forgedAgoMs: 100 };
    const one = report(1, 'aa', {});
    one.info.peers.push(peer);
    const three: NodeReport = { ...report(3, 'bb', {}), addresses: ['n3.lab', '192.168.9.3'] };
    expect([...rejections([one, three]).keys()]).toEqual([3]);
  });
});
