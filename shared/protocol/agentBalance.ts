/** Agent requests and events for the balancing core: cluster view, mosctl controls, setpe (issue: balancing core). */
import type { NodeId, NodeSample } from '../domain/node.js';
import type { MapNode } from '../hpcMap.js';
import type { ViewNode } from '../balancing/infod.js';
import type { FlagName } from '../balancing/controls.js';
import type { DecayParams, NodeFlags } from '../balancing/types.js';

/** This node's balancing controls and what its balancer is doing. */
export interface BalanceState {
  nodeId: NodeId | null;
  flags: NodeFlags;
  decay: DecayParams;
  speed: number;
  /** The load exchange runs (key and map installed, not quiet). */
  exchanging: boolean;
  /** The jobs feature offers migrations; without it the balancer moves nothing. */
  canMigrate: boolean;
  /** Why the balancer cannot move jobs or what it last decided, in words. */
  note: string;
  /** Automatic moves started / failed since the daemon started. */
  moves: number;
  failedMoves: number;
  /** Jobs this node tracks load for (its own and its guests). */
  jobs: number;
  /** Jobs of other nodes running here: what expel would send home. */
  guests: number;
  /** This node's jobs running on other nodes: what bring would call home. */
  away: number;
  /** Jobs here the balancer does not move for load now, with why (CRIU, files, lock, a recent move). */
  held: HeldJob[];
  /** Nodes the balancer does not send jobs to now, because moves there failed. */
  avoiding: AvoidedTarget[];
}

export interface HeldJob {
  job: string;
  why: string;
}

export interface AvoidedTarget {
  node: NodeId;
  why: string;
  /** Seconds until the node may be picked again. */
  forS: number;
}

export interface ClusterViewReply {
  self: NodeId | null;
  map: MapNode[];
  /** Every node the load exchange knows of, self first. */
  nodes: ViewNode[];
}

/** What expel or bring did: moved jobs, and per job why it did not move. */
export interface MoveReport {
  moved: string[];
  failed: { job: string; why: string }[];
  /** Nodes that could not be asked (bring), with why. */
  unreachable: { node: NodeId; why: string }[];
  note?: string;
}

export type BalanceAgentRequests = {
  'balance.state': { req: null; res: BalanceState };
  'balance.view': { req: null; res: ClusterViewReply };
  /** mosctl stay/nostay, lstay/nolstay, block/noblock, quiet/noquiet; persisted. */
  'balance.set': { req: { flag: FlagName; value: boolean }; res: BalanceState };
  'balance.setDecay': { req: { intervalS: number; slow?: number; fast?: number }; res: BalanceState };
  /** mosctl expel: this node's guests go home. */
  'balance.expel': { req: null; res: MoveReport };
  /** mosctl bring: every node sends this node's jobs home. */
  'balance.bring': { req: null; res: MoveReport };
  /**
   * mosctl isup: an openMosix kind of ping. Node N's agent is asked over the peer channel (TLS
   * with the cluster key), so a quiet node, or one whose exchange datagrams are lost, is still up.
   */
  'balance.ping': { req: { node: NodeId }; res: { up: true; ms: number } | { up: false; why: string } };
  /** A node's own sample: this node's, or asked of node N over the peer channel (getfree N). */
  'balance.sampleOf': { req: { node: NodeId }; res: NodeSample };
};
export type BalanceAgentEvents = Record<never, never>;
