/** The daemon's features, in start order. One line per feature. */
import type { FeatureFactory } from './feature.js';
import { filesFeature } from '../files/filesFeature.js';
import { historyFeature } from '../history/historyFeature.js';
import { jobsFeature } from '../jobs/feature.js';
import { migrateFeature } from '../migrate/feature.js';
import { balanceFeature } from '../balance/feature.js';
import { metricsFeature } from '../metrics/metricsFeature.js';
import { alertsFeature } from '../alerts/alertsFeature.js';

export const FEATURES: FeatureFactory[] = [filesFeature, jobsFeature, alertsFeature, migrateFeature, balanceFeature, historyFeature, metricsFeature];
