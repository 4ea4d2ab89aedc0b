/**
 * Renderer -> main API for the cluster's membership: the cluster key question (adopt the
 * cluster's key, rotate explicitly, or stay read-only) and the profile's map on a node that
 * keeps its own (setpe -w) or left (setpe -off).
 */
import type { NodeId } from '../domain/node.js';
import type { NodeResult, NodeTargetReq } from './apiBalance.js';

export interface ClusterKeyState {
  /** The profile's key file. */
  keyFile: string;
  /** This GUI's key, or null while the profile has none (created when a cluster without any key is opened). */
  guiKeyId: string | null;
  /** The keys the nodes hold, most widely held first, with their nodes. */
  installed: { keyId: string; nodes: NodeId[] }[];
  /** Nodes without a key, and nodes not heard from yet (down or connecting). */
  keyless: NodeId[];
  unknown: NodeId[];
  /**
   * agreed: the nodes have this GUI's key (keyless ones get it); waiting: asking every node
   * first; conflict: nodes hold another key, the admin is asked; readOnly: the admin chose
   * not to decide now (nothing is installed on any node).
   */
  status: 'agreed' | 'waiting' | 'conflict' | 'readOnly';
  /** Why "Rotate the key on every node" cannot run now; absent when it can. */
  rotateBlocked?: string;
  /** What the last adopt or rotate did. */
  outcome?: string;
}

export type MembershipApiRequests = {
  /** null for the embedded default (no cluster key). */
  'clusterKey.get': { req: null; res: ClusterKeyState | null };
  /** Fetches the key `keyId` from a node holding it (over SSH) into the profile's key file. */
  'clusterKey.adopt': { req: { keyId: string }; res: ClusterKeyState };
  /** Installs this GUI's key on every node at once (each replaces exactly the key it was seen with); every node must be up. */
  'clusterKey.rotate': { req: null; res: ClusterKeyState };
  /** Not now: the GUI shows the cluster and installs nothing. */
  'clusterKey.readOnly': { req: null; res: ClusterKeyState };
  /** "Install the profile's map on node N": the admin's explicit override of the node's own map or setpe -off. */
  'membership.installMap': { req: NodeTargetReq; res: NodeResult<null>[] };
};

export type MembershipApiEvents = {
  'clusterKey.state': ClusterKeyState;
};

export const MEMBERSHIP_API_CHANNELS = Object.keys({
  'clusterKey.get': 1,
  'clusterKey.adopt': 1,
  'clusterKey.rotate': 1,
  'clusterKey.readOnly': 1,
  'membership.installMap': 1,
} satisfies Record<keyof MembershipApiRequests, 1>) as (keyof MembershipApiRequests)[];
export const MEMBERSHIP_API_EVENTS = Object.keys({ 'clusterKey.state': 1 } satisfies Record<keyof MembershipApiEvents, 1>) as (keyof MembershipApiEvents)[];
