/** mosctl status says where this node's load and speed figures come from. */
import { describe, expect, it } from 'vitest';
import type { NodeSample } from '../../shared/domain/node.js';
import { parseMosctl } from '../../shared/balancing/controls.js';
import type { ClusterInfo } from '../../shared/protocol/agent.js';
import { runMosctl, type MosctlAgent } from './mosctl.js';

const base: NodeSample = { t: 1, hostname: 'mvnode1', cpus: 2, demand: 0.1, load: 0.12, util: 3, mem: { totalKb: 4096, freeKb: 1024, availableKb: 2048 }, speed: 85000, procCount: 3 };
const info: ClusterInfo = { nodeId: null, map: [], mapBy: null, leftAt: null, keyInstalled: false, keyId: null, listening: false, port: 7249, exchange: { accepted: 0, forged: 0, stale: 0, replayed: 0, ahead: 0 }, peers: [] };

async function status(sample: NodeSample): Promise<string[]> {
  const agent: MosctlAgent = {
    request: (async (method: string) => {
      if (method === 'sample') return sample;
      if (method === 'cluster.info') return info;
      throw new Error(`ENOMETHOD ${method}`);
    }) as MosctlAgent['request'],
  };
  const p = parseMosctl(['status']);
  if (!p.ok) throw new Error(p.error);
  const lines: string[] = [];
  await runMosctl(p.value, agent, (s) => lines.push(s));
  return lines;
}

describe('mosctl status: where the figures come from', () => {
  it('a calibrated speed and load from runnable time', async () => {
    const lines = await status({ ...base, speedSource: 'calibrated', demandSource: 'schedstat' });
    expect(lines[0]).toMatch(/^This node \(mvnode1\) is up: speed 85000/);
    expect(lines.slice(1, 3)).toEqual([
      'Speed: 85000, calibrated (CPU time of a fixed workload, checked at each agent start)',
      'Load: runnable time of each process over each second (/proc/PID/schedstat)',
    ]);
  });

  it("the admin's speed, and the fallback where the kernel has no schedstat", async () => {
    const lines = await status({ ...base, speed: 15000, speedSource: 'admin', demandSource: 'state' });
    expect(lines.slice(1, 3)).toEqual([
      'Speed: 15000, set by the admin (mosctl setspeed or the GUI; never re-measured)',
      'Load: processes runnable at the instant of each sample (this kernel has no /proc/PID/schedstat)',
    ]);
  });

  it('nothing about sources from an agent that does not say', async () => {
    const lines = await status(base);
    expect(lines.some((l) => /^(Speed|Load):/.test(l))).toBe(false);
  });
});
