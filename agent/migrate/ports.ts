/**
 * What the migration protocol needs from the world beyond the node's jobs (agent/jobs/host.ts):
 * the peer link and the clock. The agent plugs in the real ones; the protocol simulation
 * (sim/) plugs in deterministic stand-ins that can crash, lose messages and fill disks at any
 * step, and drives the same protocol code.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { PeerRequests, TransferResult } from '../../shared/protocol/peer.js';
import type { PageChannel } from '../jobs/pageChannel.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Runs `fn` once after `ms`; the result cancels it. */
  timer(fn: () => void, ms: number): () => void;
}

/** The peer channel, as the protocol uses it (PeerNet in the agent). */
export interface PeerLink {
  readonly selfId: NodeId;
  readonly nodes: readonly { id: NodeId }[];
  request<K extends keyof PeerRequests & string>(node: NodeId, method: K, params: PeerRequests[K]['req'], timeoutMs?: number): Promise<PeerRequests[K]['res']>;
  /** Sends the files (paths) to `node` as transfer `transfer`; resolves when all arrived intact. */
  sendFiles(node: NodeId, transfer: string, paths: string[]): Promise<TransferResult>;
  /** Opens migration `id`'s page channel to `node`; resolves once its page server waits. */
  openPages(node: NodeId, id: string, onBytes?: (bytes: number) => void): Promise<PageChannel>;
}


/** Where the protocol's log lines go (the agent's stderr). */
export type Log = (message: string) => void;
