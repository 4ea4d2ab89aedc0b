/** One validator per request of the membership API (apiMembership.ts), run in the main process's dispatch. */
import type { MembershipApiRequests } from './apiMembership.js';
import { nodeOrAll } from './fields.validate.js';
import { none, obj, str, type Validators } from './validate.js';

export const membershipApiValidators = {
  'clusterKey.get': none,
  'clusterKey.adopt': obj({ keyId: str({ min: 1, max: 64, want: 'the key ID to adopt (as the cluster key banner shows it)' }) }),
  'clusterKey.rotate': none,
  'clusterKey.readOnly': none,
  'membership.installMap': obj({ nodeId: nodeOrAll }),
} satisfies Validators<MembershipApiRequests>;
