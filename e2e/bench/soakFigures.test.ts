import { describe, expect, it } from 'vitest';
import { busiest, corePercent, cpuTicks, nodeOfPids, growthPercent, missingSeconds, nodeSecondsMissing, tallyEntries } from './soakFigures.js';

describe('the soak figures', () => {
  it('reads utime + stime from a stat line whose command holds spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 11 0 100 1000 2000';
    expect(cpuTicks(stat)).toBe(168);
    expect(() => cpuTicks('garbage')).toThrow(/not a \/proc\/PID\/stat line/);
  });

  it('turns ticks over a wall time into a share of one core', () => {
    // 1.2 s of CPU over 600 s: 0.2 %.
    expect(corePercent(120, 100, 600_000)).toBeCloseTo(0.2, 10);
  });

  it('counts the seconds without a record, both ends included, and names the first ones', () => {
    const times = [10_000, 11_400, 11_900, 13_050, 15_999];
    expect(missingSeconds(times, 10_000, 15_500)).toEqual({ expected: 6, present: 4, missing: 2, firstMissing: [12_000, 14_000] });
    expect(missingSeconds([], 10_500, 10_600)).toEqual({ expected: 0, present: 0, missing: 0, firstMissing: [] });
  });

  it('counts node-seconds where a node is absent or down, inside the window only', () => {
    const recs = [
      { t: 1000, nodes: [{ id: 1, up: true }, { id: 2, up: true }] },
      { t: 2000, nodes: [{ id: 1, up: true }, { id: 2, up: false }] },
      { t: 3000, nodes: [{ id: 1, up: true }] },
      { t: 9000, nodes: [] },
    ];
    expect(nodeSecondsMissing(recs, [1, 2], 1000, 3000)).toBe(2);
  });

  it('tallies log entries by kind, numbers and timestamps aside, most frequent first', () => {
    expect(tallyEntries([
      '2026-11-29T18:00:00.123Z mosixview-agent: daemon 812 (version 0.1.0) serving /var/lib/mosixview/agent.sock',
      '2026-11-29T18:00:00.456Z mosixview-agent: daemon 813 (version 0.1.0) serving /var/lib/mosixview/agent.sock',
      'mosixview: node 3 (mvnode3): no data from the agent for 3 s',
      '',
    ])).toEqual([
      { text: 'mosixview-agent: daemon N (version N.N) serving /var/lib/mosixview/agent.sock', count: 2 },
      { text: 'mosixview: node N (mvnodeN): no data from the agent for N s', count: 1 },
    ]);
  });

  it('gives growth in percent of the start', () => {
    expect(growthPercent(200, 210)).toBe(5);
    expect(growthPercent(200, 190)).toBe(-5);
  });

  it('names the busiest nodes, busiest first, ties by node ID', () => {
    const xs = [{ node: 1, cpu: 2.7 }, { node: 2, cpu: 0.9 }, { node: 3, cpu: 1.1 }, { node: 4, cpu: 1.1 }, { node: 5, cpu: 0.8 }];
    expect(busiest(xs)).toEqual([{ node: 1, cpu: 2.7 }, { node: 3, cpu: 1.1 }, { node: 4, cpu: 1.1 }]);
    expect(busiest(xs.slice(0, 2), 3)).toEqual([{ node: 1, cpu: 2.7 }, { node: 2, cpu: 0.9 }]);
  });

  it('finds each process\'s node from the nodes\' PID lists', () => {
    const byPid = nodeOfPids([100, 200, 300], [{ node: 1, pids: [7, 100] }, { node: 2, pids: [300, 8] }]);
    expect([...byPid]).toEqual([[100, 1], [300, 2]]);
  });
});
