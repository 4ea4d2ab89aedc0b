/** One validator per request of the node-agent API (apiNodeAgent.ts), run in the main process's dispatch. */
import type { NodeAgentApiRequests } from './apiNodeAgent.js';
import { nodeOrAll } from './fields.validate.js';
import { obj, type Validators } from './validate.js';

export const nodeAgentApiValidators = {
  'node.stopAgent': obj({ nodeId: nodeOrAll }),
  'node.startAgent': obj({ nodeId: nodeOrAll }),
} satisfies Validators<NodeAgentApiRequests>;
