import { describe, expect, it } from 'vitest';
import { dotPlaces, nodeAt, RING_BOX, ringLayout } from './ringLayout.js';

const nodes = (n: number, cpus: (i: number) => number | undefined = () => 4) => Array.from({ length: n }, (_, i) => ({ id: i + 1, cpus: cpus(i) }));
const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe('ringLayout', () => {
  it('puts node 1 at the top and the others clockwise, every circle inside the box', () => {
    const l = ringLayout(nodes(4));
    expect(l.map((n) => n.id)).toEqual([1, 2, 3, 4]);
    expect(l[0]!.x).toBeCloseTo(RING_BOX / 2);
    expect(l[0]!.y).toBeLessThan(RING_BOX / 2);
    expect(l[1]!.x).toBeGreaterThan(RING_BOX / 2); // right: clockwise
    expect(l[2]!.y).toBeGreaterThan(RING_BOX / 2);
    for (const n of l) {
      expect(n.x - n.r).toBeGreaterThanOrEqual(0);
      expect(n.y + n.r).toBeLessThanOrEqual(RING_BOX);
    }
  });

  it('draws more CPUs as a larger circle, and a node that is not up as the smallest', () => {
    const [one, eight, down] = ringLayout([{ id: 1, cpus: 1 }, { id: 2, cpus: 8 }, { id: 3, cpus: undefined }]);
    expect(eight!.r).toBeGreaterThan(one!.r);
    expect(down!.r).toBeLessThanOrEqual(one!.r);
  });

  it.each([2, 3, 4, 16, 64])('never overlaps neighbours with %i nodes', (n) => {
    const l = ringLayout(nodes(n, () => 8));
    for (let i = 0; i < n; i++) {
      const a = l[i]!;
      const b = l[(i + 1) % n]!;
      expect(dist(a, b)).toBeGreaterThan(a.r + b.r);
    }
  });

  it('one node sits in the middle; none is nothing', () => {
    expect(ringLayout([])).toEqual([]);
    const [only] = ringLayout(nodes(1));
    expect(only).toMatchObject({ x: RING_BOX / 2, y: RING_BOX / 2 });
  });

  it('finds the node under a point (the drop target), none between circles', () => {
    const l = ringLayout(nodes(4));
    expect(nodeAt(l, l[2]!.x, l[2]!.y)).toBe(3);
    expect(nodeAt(l, l[2]!.x + l[2]!.r - 1, l[2]!.y)).toBe(3);
    expect(nodeAt(l, RING_BOX / 2, RING_BOX / 2)).toBeUndefined();
  });
});

describe('dotPlaces', () => {
  const node = { x: 100, y: 100, r: 60 };
  it('one job in the middle, none for no job', () => {
    expect(dotPlaces(node, 0)).toEqual([]);
    expect(dotPlaces(node, 1)).toEqual([{ x: 100, y: 100, r: 12 }]);
  });

  it.each([2, 5, 12, 40])('%i jobs: every dot inside the circle, no two overlapping', (count) => {
    const dots = dotPlaces(node, count);
    expect(dots).toHaveLength(count);
    for (const d of dots) expect(dist(d, node) + d.r).toBeLessThanOrEqual(node.r);
    for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) expect(dist(dots[i]!, dots[j]!)).toBeGreaterThanOrEqual(dots[i]!.r + dots[j]!.r - 0.01);
  });
});
