import { describe, expect, it } from 'vitest';
import { nodeList, startNodesProblem } from './startNodes.js';

const MAP = [1, 2, 3, 4];

describe('the nodes a start names must exist', () => {
  it('names node lists as an admin writes them', () => {
    expect(nodeList([5, 6, 7, 8, 9])).toBe('5-9');
    expect(nodeList([1, 3, 4, 5, 7])).toBe('1, 3-5, 7');
    expect(nodeList([2])).toBe('2');
  });

  it('parallel beyond the map: refused before anything starts, with the map named', () => {
    expect(startNodesProblem({ kind: 'parallel', first: 1, last: 9, invert: false }, MAP)).toBe(
      'nodes 5-9 are not in the cluster map (it has nodes 1-4): nothing started; choose FIRST-LAST within the map',
    );
    expect(startNodesProblem({ kind: 'parallel', first: 4, last: 5, invert: false }, MAP)).toMatch(/^node 5 is not in the cluster map/);
    expect(startNodesProblem({ kind: 'parallel', first: 2, last: 4, invert: false }, MAP)).toBeUndefined();
  });

  it('--invert: needs the map, and must leave some node', () => {
    expect(startNodesProblem({ kind: 'parallel', first: 2, last: 3, invert: true }, MAP)).toBeUndefined();
    expect(startNodesProblem({ kind: 'parallel', first: 1, last: 4, invert: true }, MAP)).toBe(
      'no node is left: every node of the map (1-4) is within 1-4, and --invert starts on the others only; nothing started',
    );
    expect(startNodesProblem({ kind: 'parallel', first: 1, last: 2, invert: true }, [])).toBe(
      '--invert needs the cluster map to know the other nodes, and this node has none installed (setpe -w -f MAP); nothing started',
    );
  });

  it('run on (and the host chooser modes) a node that is not in the map', () => {
    expect(startNodesProblem({ kind: 'runon', node: 7 }, MAP)).toBe('there is no node 7 in the cluster map (it has nodes 1-4): nothing started');
    expect(startNodesProblem({ kind: 'cpujob', node: 5 }, MAP)).toMatch(/no node 5/);
    expect(startNodesProblem({ kind: 'runon', node: 3 }, MAP)).toBeUndefined();
  });

  it('without a map nothing can be checked (a node alone, or a map not read yet)', () => {
    expect(startNodesProblem({ kind: 'parallel', first: 1, last: 9, invert: false }, [])).toBeUndefined();
    expect(startNodesProblem({ kind: 'runon', node: 7 }, [])).toBeUndefined();
  });
});
