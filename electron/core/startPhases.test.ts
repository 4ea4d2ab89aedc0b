import { describe, expect, it } from 'vitest';
import { parseStartLine, startLine } from './startPhases.js';

describe('the start-up line of a node', () => {
  const phases = { ssh: 812.4, probe: 95.6, upload: 0, agent: 1503, sample: 16 };

  it('names every phase and their sum, rounded', () => {
    expect(startLine(3, 'mvnode3', phases)).toBe('node 3 (mvnode3): up after 2427 ms: ssh 812, probe 96, upload 0, agent 1503, sample 16');
  });

  it('reads back what it wrote, also inside a log entry with its timestamp', () => {
    const line = `2026-11-29T18:40:00.123Z mosixview: ${startLine(12, '10.0.0.13', phases)}`;
    expect(parseStartLine(line)).toEqual({ id: 12, phases: { ssh: 812, probe: 96, upload: 0, agent: 1503, sample: 16 } });
  });

  it('says whether the agent was reached through its socket or a relay, and reads that back', () => {
    const line = startLine(5, 'mvnode5', phases, 'socket');
    expect(line).toBe('node 5 (mvnode5): up after 2427 ms: ssh 812, probe 96, upload 0, agent 1503, sample 16, via socket');
    expect(parseStartLine(line)?.route).toBe('socket');
    expect(parseStartLine(startLine(5, 'mvnode5', phases, 'relay'))?.route).toBe('relay');
  });

  it('reads nothing from other lines or a line missing a phase', () => {
    expect(parseStartLine('node 3 (h): agent connection ended (exit code 1)')).toBeUndefined();
    expect(parseStartLine('node 3 (h): up after 10 ms: ssh 5, probe 5')).toBeUndefined();
  });
});
