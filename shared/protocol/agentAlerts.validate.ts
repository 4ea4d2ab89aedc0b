/** One validator per request of the alerts' agent map (agentAlerts.ts). What a KEY=VALUE says is the collector's to judge (applyAlertChanges). */
import type { AlertAgentRequests } from './agentAlerts.js';
import { array, int, none, obj, str, type Validators } from './validate.js';

export const alertChanges = array(str({ min: 1, max: 300, want: 'a change KEY=VALUE, e.g. load.percent=80' }), { min: 1, max: 20, want: 'a list of 1 to 20 changes KEY=VALUE' });
const count = int(0, 1000);

export const alertAgentValidators = {
  'alerts.inputs': obj({ since: int(0, Number.MAX_SAFE_INTEGER, 'the sequence number of the last event read (0 for all)') }),
  'alerts.list': none,
  'alerts.set': obj({ set: alertChanges }),
  'alerts.report': obj({ raised: count, cleared: count }),
} satisfies Validators<AlertAgentRequests>;
