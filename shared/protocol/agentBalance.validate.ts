/** One validator per agent request of the balancing core (agentBalance.ts). */
import { FLAG_NAMES } from './balanceFlags.js';
import type { BalanceAgentRequests } from './agentBalance.js';
import { nodeId } from './fields.validate.js';
import { bool, int, none, obj, oneOf, optional, refine, type Validators } from './validate.js';

/** mosctl setdecay interval [slow fast]: the same ranges as the command line's (agent/balance/controls.ts). */
const setDecay = refine(
  obj({
    intervalS: int(1, 3600, 'whole seconds from 1 to 3600'),
    slow: optional(int(1, 999, 'thousandths from 1 to 999 (default 975)')),
    fast: optional(int(1, 999, 'thousandths from 1 to 999 (default 926)')),
  }),
  (d) => {
    if ((d.slow === undefined) !== (d.fast === undefined)) return { says: 'give slow and fast together, or neither' };
    if (d.slow !== undefined && d.fast !== undefined && d.slow < d.fast) return { at: 'slow', says: `slow (${d.slow}) must not be below fast (${d.fast}): slow decay keeps more of the past` };
    return undefined;
  },
);

export const balanceAgentValidators = {
  'balance.state': none,
  'balance.view': none,
  'balance.set': obj({ flag: oneOf(FLAG_NAMES, `a flag (${FLAG_NAMES.join(', ')})`), value: bool }),
  'balance.setDecay': setDecay,
  'balance.expel': none,
  'balance.bring': none,
  'balance.ping': obj({ node: nodeId }),
  'balance.sampleOf': obj({ node: nodeId }),
} satisfies Validators<BalanceAgentRequests>;
