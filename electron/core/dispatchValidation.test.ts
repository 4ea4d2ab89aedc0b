/** ClusterService.dispatch checks every request against its channel's validator before any handler runs. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterService } from './clusterService.js';
import type { ApiFeature } from './clusterTypes.js';
import { API_FEATURES } from './apiFeatures.js';
import type { ClusterConfig } from './profile.js';
import { FakeLauncher } from './fakeAgent.test-util.js';

const config: ClusterConfig = { name: 'test', source: 'profile', nodes: [] };
const deps = { clientVersion: '0.1.0+cafebabe', timing: { silenceMs: 300, backoffStartMs: 50, backoffMaxMs: 200 }, launcherFor: () => new FakeLauncher() };
const services: ClusterService[] = [];
afterEach(() => services.splice(0).forEach((s) => s.stop()));

function service(features: ApiFeature[]): ClusterService {
  const s = new ClusterService(config, { ...deps, features });
  services.push(s);
  return s;
}

describe('main-process dispatch validates once, at the edge', () => {
  it('refuses a bad request with a message naming the field, and serves the next request', async () => {
    const svc = service(API_FEATURES);
    await expect(svc.dispatch('history.series', { buckets: 10, metrics: ['load', 'toString'] })).rejects.toMatchObject({
      code: 'EINVAL',
      message: 'metrics[1]: expected a metric name (load, mem, rmem, tmem, diskRead, diskWrite, netRx, netTx), got "toString"',
    });
    await expect(svc.dispatch('job.signal', { nodeId: 1, signal: 'KILL' })).rejects.toMatchObject({ code: 'EINVAL', message: expect.stringMatching(/say which process/) });
    await expect(svc.dispatch('cluster.get', { all: true })).rejects.toMatchObject({ code: 'EINVAL', message: 'the request: expected null (this request takes no parameters), got {"all":true}' });
    await expect(svc.dispatch('cluster.get', null)).resolves.toMatchObject({ name: 'test', nodes: [] });
    // A good request reaches its handler, which still checks what needs the cluster: the node.
    await expect(svc.dispatch('history.setCollector', { nodeId: 4 })).rejects.toMatchObject({ code: 'ENONODE' });
  });

  it('handlers receive the checked request, and nothing for a refused one', async () => {
    const seen: unknown[] = [];
    const recorder: ApiFeature = () => ({
      'job.renice': async (req) => {
        seen.push(req);
        return null;
      },
    });
    const svc = service([recorder]);
    await expect(svc.dispatch('job.renice', { nodeId: 2, pid: 7, nice: 20 })).rejects.toMatchObject({ code: 'EINVAL', message: 'nice: expected a whole number from -20 to 19, got 20' });
    await expect(svc.dispatch('job.renice', { nodeId: 2, pid: 7, nice: 5, sudo: true })).rejects.toMatchObject({ code: 'EINVAL', message: 'sudo: unknown field: send only nodeId, pid, nice' });
    await svc.dispatch('job.renice', { nodeId: 2, pid: 7, nice: 5 });
    expect(seen).toEqual([{ nodeId: 2, pid: 7, nice: 5 }]);
  });
});
