import { describe, expect, it } from 'vitest';
import { TEST_PORT_HIGH, TEST_PORT_LOW, testPort } from './testPort.test-util.js';

describe('testPort', () => {
  it('gives ports below the ephemeral range, never the same twice in a worker', () => {
    const ports = Array.from({ length: 200 }, () => testPort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(TEST_PORT_LOW);
      expect(p).toBeLessThanOrEqual(TEST_PORT_HIGH);
    }
  });

  it('gives two workers ports of their own', () => {
    const a = new Set(Array.from({ length: 50 }, () => testPort(1)));
    const b = Array.from({ length: 50 }, () => testPort(2));
    expect(b.filter((p) => a.has(p))).toEqual([]);
  });
});
