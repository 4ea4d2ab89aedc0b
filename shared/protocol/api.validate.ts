/** One validator per request of the whole renderer -> main API (api.ts), run once in ClusterService.dispatch. */
import type { ApiRequests, CoreApiRequests } from './api.js';
import { MAX_SPEED, MIN_SPEED } from '../domain/node.js';
import { nodeId } from './fields.validate.js';
import { bool, int, none, obj, str, type Validators } from './validate.js';
import { jobApiValidators } from './apiJobs.validate.js';
import { balanceApiValidators } from './apiBalance.validate.js';
import { historyApiValidators } from './apiHistory.validate.js';
import { membershipApiValidators } from './apiMembership.validate.js';
import { nodeAgentApiValidators } from './apiNodeAgent.validate.js';
import { alertApiValidators } from './apiAlerts.validate.js';

export const speed = int(MIN_SPEED, MAX_SPEED, `a speed (a whole number from ${MIN_SPEED} to ${MAX_SPEED}; 10000 = the reference CPU)`);

const coreApiValidators = {
  'cluster.get': none,
  'cluster.refresh': none,
  'node.setSpeed': obj({ nodeId, speed }),
  'node.procs': obj({ nodeId }),
  'hostKey.answer': obj({ promptId: str({ min: 1, max: 100, want: 'the ID of an open host key question' }), accept: bool }),
  'hostKey.askAgain': obj({ nodeId }),
} satisfies Validators<CoreApiRequests>;

export const API_VALIDATORS = {
  ...coreApiValidators,
  ...jobApiValidators,
  ...balanceApiValidators,
  ...historyApiValidators,
  ...membershipApiValidators,
  ...nodeAgentApiValidators,
  ...alertApiValidators,
} satisfies Validators<ApiRequests>;
