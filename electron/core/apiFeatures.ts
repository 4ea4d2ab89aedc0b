/** The API features beyond the core (jobs and migration, balancing, history). One line each. */
import type { ApiFeature } from './clusterService.js';
import { historyApi } from '../history/historyApi.js';
import { balanceApi } from '../balance/balanceApi.js';
import { jobsApi } from '../jobs/jobsApi.js';
import { membershipApi } from './membershipApi.js';

export const API_FEATURES: ApiFeature[] = [jobsApi, historyApi, balanceApi, membershipApi];
