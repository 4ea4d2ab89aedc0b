/**
 * A node's membership as its agent keeps it (agent/peer/peerService.ts), for main-process
 * tests: key, map, origin, setpe -off, per-peer traffic; refuses a key change the way the
 * agent does.
 */
import { randomBytes } from 'node:crypto';
import { keyId } from '../../shared/clusterKey.js';
import { parseHpcMap } from '../../shared/hpcMap.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { KEY_CHANGE_REFUSED, type ClusterConfigure, type ClusterInfo, type MapOrigin, type PeerTraffic } from '../../shared/protocol/agent.js';
import type { FakeAgentOptions } from './fakeAgent.test-util.js';

export const newKeyHex = () => randomBytes(32).toString('hex');
export const idOfHex = (hex: string) => keyId(Buffer.from(hex, 'hex'));

export class FakeNode {
  keyHex: string | undefined;
  mapText: string | undefined;
  nodeId: number | undefined;
  mapBy: MapOrigin | null = null;
  leftAt: string | null = null;
  peers: PeerTraffic[] = [];
  readonly configures: ClusterConfigure[] = [];

  constructor(init: Partial<Pick<FakeNode, 'keyHex' | 'mapText' | 'nodeId' | 'mapBy' | 'leftAt'>> = {}) {
    Object.assign(this, init);
  }

  info(): ClusterInfo {
    const map = this.mapText ? parseHpcMap(this.mapText) : [];
    return {
      nodeId: this.mapText ? (this.nodeId ?? null) : null,
      map,
      mapBy: this.mapText ? this.mapBy : null,
      leftAt: this.leftAt,
      keyInstalled: this.keyHex !== undefined,
      keyId: this.keyHex ? idOfHex(this.keyHex) : null,
      listening: this.keyHex !== undefined && map.length > 0,
      port: 7249,
      exchange: { accepted: 0, forged: 0, stale: 0, replayed: 0, ahead: 0 },
      peers: this.peers,
    };
  }

  configure(p: ClusterConfigure): ClusterInfo {
    this.configures.push(p);
    if (p.off) {
      this.mapText = undefined;
      this.leftAt = new Date(0).toISOString();
      return this.info();
    }
    if (p.keyHex !== undefined && this.keyHex !== undefined && p.keyHex !== this.keyHex) {
      const have = idOfHex(this.keyHex);
      if (p.rotateFrom !== have) throw new RpcError(KEY_CHANGE_REFUSED, `this node has cluster key ${have}, not ${idOfHex(p.keyHex)}: a node's key is never replaced silently`);
    }
    if (p.keyHex !== undefined) this.keyHex = p.keyHex;
    if (p.mapText !== undefined) {
      this.mapText = p.mapText;
      this.nodeId = p.nodeId;
      this.mapBy = p.by ?? 'setpe';
      this.leftAt = null;
    }
    return this.info();
  }

  /** The agent's handlers for a FakeLauncher step. */
  agent(): FakeAgentOptions {
    return {
      handlers: {
        'cluster.info': () => this.info(),
        'cluster.configure': (p) => this.configure(p),
        'cluster.key': () => {
          if (!this.keyHex) throw new RpcError('ENOKEY', 'no cluster key is installed on this node');
          return { keyHex: this.keyHex, keyId: idOfHex(this.keyHex) };
        },
      },
    };
  }
}
