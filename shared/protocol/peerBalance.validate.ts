/** One validator per peer request of the balancing core (peerBalance.ts). */
import type { PeerBalanceRequests } from './peerBalance.js';
import { nodeId } from './fields.validate.js';
import { none, obj, refine, show, str, type Validators } from './validate.js';

/** A job's key as "HOME.ID" (shared/domain/process.ts jobKey). */
const jobKeyText = refine(str({ min: 3, max: 40, want: 'a job key "HOME.ID"' }), (k) => (/^\d+\.\d+$/.test(k) ? undefined : { says: `expected a job key "HOME.ID" (e.g. "1.496"), got ${show(k)}` }));

export const peerBalanceValidators = {
  'balance.sendHome': obj({ home: nodeId }),
  'balance.sample': none,
  'balance.arriving': obj({ job: jobKeyText }),
} satisfies Validators<PeerBalanceRequests>;
