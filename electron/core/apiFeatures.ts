/** The API features beyond the core (jobs and migration, balancing, history). One line each. */
import type { ApiFeature } from './clusterService.js';

export const API_FEATURES: ApiFeature[] = [];
