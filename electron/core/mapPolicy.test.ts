import { describe, expect, it } from 'vitest';
import { mapPlan } from './mapPolicy.js';
import { parseHpcMap } from '../../shared/hpcMap.js';
import type { ClusterInfo } from '../../shared/protocol/agent.js';

const profile = parseHpcMap('1 10.0.0.1 4\n');
const info = (over: Partial<ClusterInfo>): ClusterInfo => ({
  nodeId: 3, map: profile, mapBy: 'gui', leftAt: null, keyInstalled: true, keyId: 'aa', listening: true, port: 7249,
  exchange: { accepted: 0, forged: 0, stale: 0, replayed: 0, ahead: 0 }, peers: [], ...over,
});

describe('mapPlan (the node wins)', () => {
  it('installs the profile map only on a node that has none and never left', () => {
    expect(mapPlan(3, profile, info({ map: [], nodeId: null, mapBy: null }))).toEqual({ install: true });
    expect(mapPlan(3, profile, info({}))).toEqual({ install: false });
  });

  it('after setpe -off it installs nothing and says so', () => {
    expect(mapPlan(3, profile, info({ map: [], nodeId: null, mapBy: null, leftAt: '2024-05-01T10:00:00.000Z' }))).toEqual({
      install: false,
      ownMap: "node 3 left the cluster (setpe -off on the node, 2024-05-01T10:00:00.000Z): Mosixview does not put the profile's map back unasked",
    });
  });

  it('a map of the node\'s own is kept and the difference named', () => {
    const five = parseHpcMap('1 10.0.0.1 5\n');
    expect(mapPlan(3, profile, info({ map: five, mapBy: 'setpe' })).ownMap).toBe('node 3 has its own map (setpe -w), 5 nodes; the profile has 4; Mosixview keeps it (the node wins)');
    expect(mapPlan(3, profile, info({ map: five, mapBy: 'gui' })).ownMap).toBe('node 3 has a map from another Mosixview profile, 5 nodes; the profile has 4; Mosixview keeps it (the node wins)');
    expect(mapPlan(3, profile, info({ map: five, mapBy: 'file', mapFile: '/etc/mosixview/hpc.map' })).ownMap).toBe(
      "node 3 has its own map (/etc/mosixview/hpc.map, applied at the agent's start), 5 nodes; the profile has 4; Mosixview keeps it (the node wins)",
    );
    expect(mapPlan(3, profile, info({ map: five, mapBy: null })).ownMap).toBe('node 3 has its own map, 5 nodes; the profile has 4; Mosixview keeps it (the node wins)');
    const moved = parseHpcMap('1 10.0.0.1 1\n2 10.0.0.7 1\n3 10.0.0.3 2\n');
    expect(mapPlan(3, profile, info({ map: moved, mapBy: 'setpe' }))).toEqual({
      install: false,
      ownMap: "node 3 has its own map (setpe -w), 4 nodes, not the profile's: node 2 is 10.0.0.7 there, 10.0.0.2 in the profile; Mosixview keeps it (the node wins)",
    });
  });

  it('the profile map under another node ID is named too', () => {
    expect(mapPlan(3, profile, info({ nodeId: 4 })).ownMap).toBe("node 3 has the profile's map but calls itself node 4 in it; Mosixview keeps it (the node wins)");
  });
});
