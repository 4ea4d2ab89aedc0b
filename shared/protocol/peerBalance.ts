/** Peer requests of the balancing core (beyond the UDP load exchange). */
import type { NodeId, NodeSample } from '../domain/node.js';
import type { MoveReport } from './agentBalance.js';

export type PeerBalanceRequests = {
  /** bring, asked by `home`: send the jobs of `home` that run here back to it. */
  'balance.sendHome': { req: { home: NodeId }; res: MoveReport };
  /** The node's own latest sample (readers about another node that the view lacks, e.g. getfree N). */
  'balance.sample': { req: null; res: NodeSample };
  /**
   * The sender's balancer is about to move `job` here: once it arrives it stays the
   * balancer's cooldown, not the longer hold after an admin's move (docs/LOAD-MODEL.md).
   */
  'balance.arriving': { req: { job: string }; res: null };
};
