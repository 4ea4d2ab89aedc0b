/** One validator per request of the whole agent protocol (agent.ts), run once in the daemon's dispatch. */
import type { AgentRequests, CoreAgentRequests } from './agent.js';
import { MAX_NODE } from './fields.validate.js';
import { MAX_UID } from './jobRecord.validate.js';
import { speed } from './api.validate.js';
import { bool, int, none, obj, oneOf, optional, orNull, str, type Validators } from './validate.js';
import { jobAgentValidators, fileAgentValidators } from './agentJobs.validate.js';
import { balanceAgentValidators } from './agentBalance.validate.js';
import { historyAgentValidators } from './agentHistory.validate.js';
import { alertAgentValidators } from './agentAlerts.validate.js';

const keyIdText = str({ max: 64, want: 'a key ID (as cluster.info shows it)' });

const coreAgentValidators = {
  hello: obj({ client: oneOf(['gui', 'cli'] as const), version: str({ max: 200 }) }),
  'auth.challenge': obj({ uid: int(0, MAX_UID, `your user ID (0 to ${MAX_UID})`) }),
  'auth.prove': obj({ nonce: str({ min: 1, max: 200, want: 'the nonce read from the challenge file' }) }),
  sample: none,
  subscribe: obj({ on: bool }),
  procs: none,
  getSpeed: none,
  setSpeed: obj({ speed }),
  // What the key and the map say is the peer service's to judge: it reads them as setpe does.
  'cluster.configure': obj({
    keyHex: optional(str({ max: 64, want: 'the cluster key: 64 hex digits' })),
    rotateFrom: optional(keyIdText),
    mapText: optional(str({ max: 1 << 20, want: 'the text of an openMosix map (at most 1 MiB)' })),
    nodeId: optional(int(1, MAX_NODE, `this node's number in the map (1 to ${MAX_NODE})`)),
    by: optional(oneOf(['gui', 'setpe'] as const)),
    off: optional(bool),
  }),
  'cluster.info': none,
  'cluster.key': none,
  shutdown: none,
  metrics: orNull(obj({ format: optional(oneOf(['openmetrics', 'prometheus'] as const)) })),
} satisfies Validators<CoreAgentRequests>;

export const AGENT_VALIDATORS = {
  ...coreAgentValidators,
  ...jobAgentValidators,
  ...fileAgentValidators,
  ...balanceAgentValidators,
  ...historyAgentValidators,
  ...alertAgentValidators,
} satisfies Validators<AgentRequests>;
