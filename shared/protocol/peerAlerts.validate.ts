/** One validator per peer request of the alerts (peerAlerts.ts). */
import type { PeerAlertRequests } from './peerAlerts.js';
import { int, obj, optional, type Validators } from './validate.js';

export const peerAlertValidators = {
  'alerts.events': obj({
    since: int(0, Number.MAX_SAFE_INTEGER, 'the sequence number of the last event read (0 for all)'),
    boot: optional(int(0, Number.MAX_SAFE_INTEGER, 'the run of the agent the sequence number is of (as its answer named it)')),
  }),
} satisfies Validators<PeerAlertRequests>;
