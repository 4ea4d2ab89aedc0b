/**
 * The peer channel between simulated agents: requests and answers that can be lost or cut,
 * file transfers that can fail or stall, and page channels to a target's page server. Every
 * payload is copied as JSON, as the real channel serializes it, so no object is shared
 * between nodes.
 */
import type { PeerRequests } from '../../../shared/protocol/peer.js';
import { RpcError, asRpcError } from '../../../shared/protocol/rpc.js';
import { validateRequest } from '../../../shared/protocol/validate.js';
import { PEER_VALIDATORS } from '../../../shared/protocol/peer.validate.js';
import type { PageChannel } from '../../jobs/pageChannel.js';
import type { PeerLink } from '../ports.js';
import type { SimCluster } from './simCluster.js';
import type { Incarnation } from './simNode.js';
import { SimPageChannel } from './simCriu.js';
import { Crash } from './world.js';

const LATENCY = 5;
const TRANSFER_STALL_MS = 10_000;
const CONNECT_TIMEOUT_MS = 15_000;

export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
const asWireError = (e: unknown) => (e instanceof Crash ? e : asRpcError(e));

export function simLink(c: SimCluster, self: number, inc: Incarnation): PeerLink {
  const world = c.world;
  const other = () => [...c.nodes.keys()];
  return {
    selfId: self,
    nodes: other().map((id) => ({ id })),
    request: <K extends keyof PeerRequests & string>(to: number, method: K, params: PeerRequests[K]['req'], timeoutMs = 15_000) => {
      const node = c.node(self);
      const f = node.step(inc, 'net.request', `${method} to node ${to}`);
      const answered = new Promise<PeerRequests[K]['res']>((resolve, reject) => {
        let done = false;
        const settle = (fn: () => void) => {
          if (done || !inc.alive) return;
          done = true;
          fn();
        };
        world.after(timeoutMs, () => settle(() => reject(new RpcError('ETIMEDOUT', `no answer to "${method}" within ${timeoutMs / 1000} s`))));
        if (f === 'drop-request' || c.cut()) return;
        world.after(LATENCY, () => {
          const target = c.node(to).inc;
          if (!target || c.cut()) {
            if (!c.cut()) world.after(LATENCY, () => settle(() => reject(new RpcError('EPEER', `cannot reach the agent of node ${to}`))));
            return;
          }
          const handler = target.parts.peerHandlers[method as keyof typeof target.parts.peerHandlers] as ((p: unknown) => unknown) | undefined;
          const closers = c.closers(target);
          const onClose = (e: Error) => world.after(LATENCY, () => settle(() => reject(e)));
          closers.add(onClose);
          const answer = (fn: () => void) => {
            closers.delete(onClose);
            if (!target.alive || f === 'drop-answer' || c.cut()) return;
            world.after(LATENCY, () => settle(fn));
          };
          Promise.resolve()
            .then(() => {
              if (!handler) throw new RpcError('ENOMETHOD', `no such request: ${method}`);
              // Checked as the peer channel checks it (agent/peer/peerService.ts): a request the real channel would refuse is a violation here.
              let checked: unknown;
              try {
                checked = validateRequest(PEER_VALIDATORS, method, clone(params));
              } catch (e) {
                c.violations.push(`t=${world.now}: node ${self} sent ${method} that the peer channel refuses: ${(e as Error).message}`);
                throw e;
              }
              return handler(checked);
            })
            .then(
              (r) => answer(() => resolve(clone(r) as PeerRequests[K]['res'])),
              (e) => (e instanceof Crash ? undefined : answer(() => reject(asWireError(e)))),
            );
        });
      });
      node.after(f);
      return answered;
    },
    sendFiles: (to, transfer, paths) => {
      const src = c.node(self);
      const f = src.step(inc, 'net.sendFiles', `images of ${transfer} to node ${to}`);
      const files = paths.map((p): [string, string] => [p.split('/').pop()!, src.files.get(p) ?? '']);
      const sent = new Promise<{ bytes: number; dir: string }>((resolve, reject) => {
        const settle = (fn: () => void) => inc.alive && fn();
        if (f === 'drop-request' || c.cut()) {
          world.after(TRANSFER_STALL_MS, () => settle(() => reject(new Error(`no progress for ${TRANSFER_STALL_MS / 1000} s (link to node ${to} lost?)`))));
          return;
        }
        world.after(50, () => {
          const target = c.node(to).inc;
          if (!target) return world.after(LATENCY, () => settle(() => reject(new Error(`cannot reach the agent of node ${to}`))));
          try {
            if (f === 'fail') throw new Error(`the disk for checkpoint images on node ${to} is full (simulated)`);
            const dir = target.parts.target.transferDir(transfer);
            c.node(to).receive(target, dir, files);
            const bytes = files.reduce((a, [, t]) => a + t.length, 0);
            world.after(LATENCY, () => settle(() => resolve({ bytes, dir })));
          } catch (e) {
            // A receiver that dies closes the connection: the sender hears of it.
            const why = e instanceof Crash ? new Error(`the receiving agent closed the connection during the transfer`) : (e as Error);
            world.after(LATENCY, () => settle(() => reject(why)));
          }
        });
      });
      src.after(f);
      return sent;
    },
    openPages: (to, id) => {
      const src = c.node(self);
      const f = src.step(inc, 'net.openPages', `page channel of ${id} to node ${to}`);
      const channel = new SimPageChannel(id, () => c.cut());
      const ready = new Promise<PageChannel>((resolve, reject) => {
        const settle = (fn: () => void) => inc.alive && fn();
        if (f === 'drop-request' || c.cut()) {
          world.after(CONNECT_TIMEOUT_MS, () => settle(() => reject(new RpcError('EPEER', `cannot reach the agent of node ${to}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`))));
          return;
        }
        world.after(LATENCY, () => {
          const target = c.node(to).inc;
          if (!target || f === 'fail') return world.after(LATENCY, () => settle(() => reject(new RpcError('EPEER', `cannot reach the agent of node ${to}`))));
          target.parts.target.acceptPages(id, self, channel).then(
            () => world.after(LATENCY, () => settle(() => resolve(channel))),
            (e: Error) => (e instanceof Crash ? undefined : world.after(LATENCY, () => settle(() => reject(e)))),
          );
        });
      });
      src.after(f);
      return ready;
    },
  };
}
