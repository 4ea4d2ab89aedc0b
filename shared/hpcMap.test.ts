import { describe, expect, it } from 'vitest';
import { MapError, formatHpcMap, parseHpcMap } from './hpcMap.js';

describe('parseHpcMap', () => {
  it('reads single nodes, comments and blank lines', () => {
    const nodes = parseHpcMap('# cluster\n1 node1 1\n\n2  node2\t1  # second\n');
    expect(nodes.map((n) => [n.id, n.host])).toEqual([
      [1, 'node1'],
      [2, 'node2'],
    ]);
  });

  it('expands a range by counting up the last byte of the IP', () => {
    const nodes = parseHpcMap('1 192.168.1.1 4\n');
    expect(nodes.map((n) => `${n.id}=${n.host}`)).toEqual([
      '1=192.168.1.1',
      '2=192.168.1.2',
      '3=192.168.1.3',
      '4=192.168.1.4',
    ]);
  });

  it('attaches ALIAS lines to their node, wherever they stand', () => {
    const nodes = parseHpcMap('4 192.168.10.10 ALIAS\n1 192.168.1.1 4\n');
    expect(nodes.find((n) => n.id === 4)?.aliases).toEqual(['192.168.10.10']);
    expect(nodes).toHaveLength(4);
  });

  it.each([
    ['1 node1', 1, 'expected 3 fields'],
    ['x node1 1', 1, 'node ID "x"'],
    ['1 node1 0', 1, 'range-size "0"'],
    ['1 node1 3', 1, 'needs an IP address'],
    ['1 10.0.0.250 10', 1, 'runs past the end'],
    ['1 10.0.0.1 1\n1 10.0.0.2 1', 2, 'node 1 is already defined on line 1'],
    ['1 10.0.0.1 2\n3 10.0.0.2 1', 2, 'address 10.0.0.2 is already used on line 1'],
    ['1 10.0.0.1 1\n7 10.0.0.9 ALIAS', 2, 'node 7 is not defined'],
    ['1 bad_host! 1', 1, 'neither an IPv4 address'],
    ['1 300.1.1.1 1', 1, 'neither an IPv4 address'],
    ['# nothing\n', 2, 'defines no nodes'],
  ])('rejects %j at line %i', (text, line, problem) => {
    try {
      parseHpcMap(text, '/etc/hpc.map');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MapError);
      expect((e as MapError).line).toBe(line);
      expect((e as MapError).message).toContain(`/etc/hpc.map:${line}:`);
      expect((e as MapError).message).toContain(problem);
    }
  });

  it('round-trips through formatHpcMap, folding ranges', () => {
    const text = '1\t10.0.0.1\t3\n4\tnode4\t1\n4\t10.1.0.4\tALIAS\n';
    const nodes = parseHpcMap(text);
    expect(formatHpcMap(nodes)).toBe(text);
    expect(parseHpcMap(formatHpcMap(nodes))).toEqual(nodes.map((n) => ({ ...n, line: expect.any(Number) })));
  });
});
