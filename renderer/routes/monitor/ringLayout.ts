/**
 * Where the migration monitor draws each node: on a ring, node 1 at the top and the others
 * clockwise in map order, each a circle whose area grows with its CPUs (a node of 8 CPUs
 * looks like room for 8). Drawn in a fixed square (the SVG's viewBox), so the layout does
 * not depend on the window's size; neighbours never overlap however many nodes there are.
 */
import type { NodeId } from '../../../shared/domain/node.js';

export interface RingNode {
  id: NodeId;
  x: number;
  y: number;
  r: number;
}

/** The SVG's viewBox is SIZE x SIZE. */
export const RING_BOX = 600;
const PAD = 34; // room for a node's label under its circle
const MIN_R = 8;

/** A node of `cpus` among nodes of at most `maxCpus`: from half the largest radius (one CPU) up. */
function radiusOf(cpus: number | undefined, maxCpus: number, largest: number): number {
  const share = cpus && maxCpus > 0 ? Math.min(1, cpus / maxCpus) : 0;
  return Math.max(MIN_R, largest * (0.5 + 0.5 * Math.sqrt(share)));
}

/** The circles of `nodes` (in map order; cpus undefined while a node is not up). */
export function ringLayout(nodes: readonly { id: NodeId; cpus: number | undefined }[], size = RING_BOX): RingNode[] {
  const n = nodes.length;
  if (n === 0) return [];
  const c = size / 2;
  const maxCpus = Math.max(1, ...nodes.map((x) => x.cpus ?? 0));
  if (n === 1) return [{ id: nodes[0]!.id, x: c, y: c, r: radiusOf(nodes[0]!.cpus, maxCpus, size / 4) }];
  // The largest circle is k times the ring's radius: at most 0.42 of the gap to a neighbour.
  const k = Math.min(0.4, 0.42 * 2 * Math.sin(Math.PI / n));
  const ring = (c - PAD) / (1 + k);
  const largest = k * ring;
  return nodes.map((node, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { id: node.id, x: c + ring * Math.cos(angle), y: c + ring * Math.sin(angle), r: radiusOf(node.cpus, maxCpus, largest) };
  });
}

/** The node whose circle holds the point (a drop target), if any. */
export function nodeAt(layout: readonly RingNode[], x: number, y: number): NodeId | undefined {
  return layout.find((n) => (x - n.x) ** 2 + (y - n.y) ** 2 <= n.r ** 2)?.id;
}

export interface DotPlace {
  x: number;
  y: number;
  r: number;
}

/**
 * Where `count` job dots go inside a node's circle: a sunflower spiral (evenly spread,
 * the first in the middle), dots as large as fits, between 2 and 12.
 */
export function dotPlaces(node: Pick<RingNode, 'x' | 'y' | 'r'>, count: number): DotPlace[] {
  if (count === 0) return [];
  const maxDot = Math.min(12, Math.max(2, node.r / 5));
  if (count === 1) return [{ x: node.x, y: node.y, r: maxDot }];
  // Spiral step c: the outermost dot's centre stays one dot radius inside the circle.
  const room = node.r * 0.86;
  const c = room / Math.sqrt(count);
  const dot = Math.max(2, Math.min(maxDot, c * 0.75, room - c * Math.sqrt(count - 0.5)));
  const golden = Math.PI * (3 - Math.sqrt(5));
  const out: DotPlace[] = [];
  for (let i = 0; i < count; i++) {
    const rho = c * Math.sqrt(i + 0.5);
    out.push({ x: node.x + rho * Math.cos(i * golden - Math.PI / 2), y: node.y + rho * Math.sin(i * golden - Math.PI / 2), r: dot });
  }
  return out;
}
