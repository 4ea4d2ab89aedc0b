/**
 * Agent <-> agent: requests over the authenticated, encrypted peer channel (TLS with the
 * cluster's pre-shared key), composed per feature like the other protocol maps.
 */
import type { NodeId } from '../domain/node.js';
import type { PeerJobRequests } from './peerJobs.js';
import type { PeerBalanceRequests } from './peerBalance.js';
import type { PeerAlertRequests } from './peerAlerts.js';
import type { PeerHistoryRequests } from './peerHistory.js';

export type CorePeerRequests = {
  'peer.hello': { req: { from: NodeId; version: string }; res: { nodeId: NodeId; version: string } };
};

export type PeerRequests = CorePeerRequests & PeerJobRequests & PeerBalanceRequests & PeerAlertRequests & PeerHistoryRequests;

/** First line of a bulk transfer connection; raw bytes of each file follow in order. */
export interface TransferHeader {
  transfer: string;
  from: NodeId;
  files: { name: string; size: number; sha256: string }[];
}

/**
 * First line of a page channel connection (agent/peer/pageLink.ts): `pages` names the
 * channel ("<migration id>", "<id>--preN", "<id>--final"); CRIU's page-xfer bytes follow.
 */
export interface PagesHeader {
  pages: string;
  from: NodeId;
}

export interface TransferResult {
  bytes: number;
  /** Where the receiver put the files. */
  dir: string;
}

/** Counters of exchange messages the agent refused, shown by `mosctl status`. */
export interface ExchangeStats {
  accepted: number;
  forged: number;
  stale: number;
  replayed: number;
  /** Held back: a sequence number too far above the sender's last (replayGuard.ts). */
  ahead: number;
}
