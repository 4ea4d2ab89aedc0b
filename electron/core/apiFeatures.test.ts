import { describe, expect, it } from 'vitest';
import { ClusterService } from './clusterService.js';
import { API_FEATURES } from './apiFeatures.js';
import type { ClusterConfig } from './profile.js';
import { FakeLauncher } from './fakeAgent.test-util.js';

const config: ClusterConfig = { name: 'test', source: 'profile', nodes: [] };
const deps = { clientVersion: '0.1.0+cafebabe', timing: { silenceMs: 300, backoffStartMs: 50, backoffMaxMs: 200 }, launcherFor: () => new FakeLauncher() };

describe('the main process composes its API features', () => {
  it('the shipped features serve every request name once', () => {
    expect(() => new ClusterService(config, { ...deps, features: API_FEATURES }).stop()).not.toThrow();
  });

  it('refuses a feature that serves a core request or another feature\'s, naming both', () => {
    const stealsCore = function thief() {
      return { 'cluster.get': () => null as never };
    };
    expect(() => new ClusterService(config, { ...deps, features: [...API_FEATURES, stealsCore] })).toThrow(/"cluster.get": the core and API feature thief/);
    const stealsJobs = function jobsAgain() {
      return { 'job.start': () => null as never };
    };
    expect(() => new ClusterService(config, { ...deps, features: [...API_FEATURES, stealsJobs] })).toThrow(/"job.start": API feature jobsApi and API feature jobsAgain/);
  });
});
