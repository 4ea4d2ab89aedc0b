/** The API features beyond the core (jobs and migration, balancing, history, membership, the node's agent process). One line each. */
import type { ApiFeature } from './clusterTypes.js';
import { historyApi } from '../history/historyApi.js';
import { balanceApi } from '../balance/balanceApi.js';
import { jobsApi } from '../jobs/jobsApi.js';
import { membershipApi } from './membershipApi.js';
import { nodeAgentApi } from './nodeAgentApi.js';

export const API_FEATURES: ApiFeature[] = [jobsApi, historyApi, balanceApi, membershipApi, nodeAgentApi];
