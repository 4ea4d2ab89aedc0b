/** One validator per request of the whole peer protocol (peer.ts), run once in the peer channel's dispatch (agent/peer/peerService.ts). */
import type { CorePeerRequests, PeerRequests } from './peer.js';
import { MAX_NODE } from './fields.validate.js';
import { int, obj, str, type Validators } from './validate.js';
import { peerJobValidators } from './peerJobs.validate.js';
import { peerBalanceValidators } from './peerBalance.validate.js';

const corePeerValidators = {
  // 0: an agent asking before it knows its own number.
  'peer.hello': obj({ from: int(0, MAX_NODE), version: str({ max: 200 }) }),
} satisfies Validators<CorePeerRequests>;

export const PEER_VALIDATORS = {
  ...corePeerValidators,
  ...peerJobValidators,
  ...peerBalanceValidators,
} satisfies Validators<PeerRequests>;
