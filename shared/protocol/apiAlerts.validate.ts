/** One validator per request of the alerts API (apiAlerts.ts), run in the main process's dispatch. */
import type { AlertApiRequests } from './apiAlerts.js';
import { alertChanges } from './agentAlerts.validate.js';
import { none, obj, type Validators } from './validate.js';

export const alertApiValidators = {
  'alert.list': none,
  'alert.set': obj({ set: alertChanges }),
} satisfies Validators<AlertApiRequests>;
