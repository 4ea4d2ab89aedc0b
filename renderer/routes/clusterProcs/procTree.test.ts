import { describe, expect, it } from 'vitest';
import { rowComparator } from './procOrder.js';
import { flatRows, treeRows } from './procTree.js';
import { jobRow, row } from './testRows.test-util.js';

const show = (t: ReturnType<typeof treeRows>) => t.map((x) => `${'  '.repeat(x.level - 1)}${x.row.nodeId}:${x.row.pid}`);
const byPid = rowComparator({ column: 'pid', direction: 'ascending' });

describe('the tree view', () => {
  it('puts each process under its parent on the same node, children in the sort order', () => {
    const rows = [
      row({ nodeId: 1, pid: 1, parentPid: 0 }),
      row({ nodeId: 1, pid: 300, parentPid: 100 }),
      row({ nodeId: 1, pid: 100, parentPid: 1 }),
      row({ nodeId: 1, pid: 200, parentPid: 100, cpu: 50 }),
      // PID 100 of node 2 is not node 1's: its child stays on node 2.
      row({ nodeId: 2, pid: 1, parentPid: 0 }),
      row({ nodeId: 2, pid: 150, parentPid: 100 }),
    ];
    expect(show(treeRows(rows, rowComparator({ column: 'node', direction: 'ascending' })))).toEqual([
      '1:1', '  1:100', '    1:200', '    1:300', '2:1', '2:150',
    ]);
    // Siblings follow the sort: the busier child first.
    expect(show(treeRows(rows, rowComparator({ column: 'cpu', direction: 'descending' })))).toEqual([
      '1:1', '  1:100', '    1:200', '    1:300', '2:1', '2:150',
    ]);
    expect(show(treeRows(rows, rowComparator({ column: 'pid', direction: 'descending' })))).toEqual([
      '2:150', '1:1', '  1:100', '    1:300', '    1:200', '2:1',
    ]);
  });

  it('a job sits under the parent of its unshare; a process whose parent is filtered out is at the top', () => {
    const rows = [
      row({ nodeId: 1, pid: 40, parentPid: 1, command: 'mosixview-agent daemon' }),
      jobRow(1, 4321, { nodeId: 1, pid: 4321, parentPid: 40 }),
      row({ nodeId: 1, pid: 5000, parentPid: 4999 }),
    ];
    expect(show(treeRows(rows, byPid))).toEqual(['1:40', '  1:4321', '1:5000']);
  });

  it('lists every row once, even parents that are each other\'s (a PID reused between two reads)', () => {
    const rows = [row({ nodeId: 1, pid: 10, parentPid: 20 }), row({ nodeId: 1, pid: 20, parentPid: 10 }), row({ nodeId: 1, pid: 30, parentPid: 30 })];
    expect(show(treeRows(rows, byPid))).toEqual(['1:30', '1:10', '  1:20']);
  });

  it('the flat list is every row at the top level, in the order given', () => {
    const rows = [row({ nodeId: 1, pid: 300, parentPid: 1 }), row({ nodeId: 1, pid: 1, parentPid: 0 })];
    expect(show(flatRows(rows))).toEqual(['1:300', '1:1']);
  });
});
