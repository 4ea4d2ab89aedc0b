/** The daemon's features, in start order. One line per feature. */
import type { FeatureFactory } from './feature.js';

export const FEATURES: FeatureFactory[] = [];
