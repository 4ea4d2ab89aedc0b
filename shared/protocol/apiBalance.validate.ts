/** One validator per request of the balancing API (apiBalance.ts), run in the main process's dispatch. */
import type { BalanceApiRequests } from './apiBalance.js';
import { nodeId, nodeOrAll } from './fields.validate.js';
import { FLAG_NAMES } from './balanceFlags.js';
import { bool, obj, oneOf, type Validators } from './validate.js';

const nodeTarget = obj({ nodeId: nodeOrAll });

export const balanceApiValidators = {
  'balance.state': nodeTarget,
  'balance.setFlag': obj({ nodeId: nodeOrAll, flag: oneOf(FLAG_NAMES), value: bool }),
  'balance.expel': nodeTarget,
  'balance.bring': nodeTarget,
  'balance.view': obj({ nodeId }),
} satisfies Validators<BalanceApiRequests>;
