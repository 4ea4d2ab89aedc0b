/** history.procs as the agent serves it: checked by its validator, then answered from the files, by minute and by node. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectorPaths, type CollectorPaths } from '../collector/config.js';
import { HistoryWriter } from '../collector/store/historyWriter.js';
import { procHistory } from './historyQueries.js';
import { historyAgentValidators as V } from '../../shared/protocol/agentHistory.validate.js';
import type { HistoryProc } from '../../shared/history/types.js';

const T0 = 1_700_000_040_000;
const MIN = 60_000;
const proc = (pid: number, command: string): HistoryProc => ({ pid, user: 'bob', command, args: command, state: 'R', cpu: 50, rssKb: 10, where: 0 });
const procs = (req: unknown) => procHistory(paths, V['history.procs'].check(req, ''));

let paths: CollectorPaths;
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mvprochist-'));
  paths = collectorPaths({ dir: root } as never);
  const w = HistoryWriter.open(paths.current, 'n1', T0, { sync: false });
  for (let m = 0; m < 3; m++) {
    w.writeProcs({
      t: T0 + m * MIN,
      nodes: [
        { id: 1, host: 'n1', procs: [proc(1, `init-${m}`)] },
        // Node 2 ran a job of three processes at minute 1 only; node 3 did not answer at minute 2.
        { id: 2, host: 'n2', procs: m === 1 ? [proc(20, 'crunch'), proc(21, 'crunch'), proc(22, 'crunch')] : [proc(2, 'init')] },
        m === 2 ? { id: 3, host: 'n3', missing: 'no answer within 4 s' } : { id: 3, host: 'n3', procs: [] },
      ],
    });
  }
  w.close();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('history.procs by minute and node', () => {
  it('the minute asked is the last list at or before it; all nodes unless one is asked', () => {
    const all = procs({ t: T0 + MIN + 59_000 });
    expect(all.times).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
    expect(all.at?.t).toBe(T0 + MIN);
    expect(all.at?.nodes.map((n) => n.id)).toEqual([1, 2, 3]);
    const two = procs({ t: T0 + MIN + 30_000, node: 2 });
    expect(two.at).toEqual({ t: T0 + MIN, nodes: [{ id: 2, host: 'n2', procs: [proc(20, 'crunch'), proc(21, 'crunch'), proc(22, 'crunch')] }] });
    // The chooser still learns of every node of that minute, with its count.
    expect(two.nodes).toEqual([{ id: 1, host: 'n1', procs: 1 }, { id: 2, host: 'n2', procs: 3 }, { id: 3, host: 'n3', procs: 0 }]);
  });

  it('a node that did not answer is missing with why, not an empty list; one not in the record is absent', () => {
    const last = procs({});
    expect(last.at?.t).toBe(T0 + 2 * MIN);
    expect(last.nodes[2]).toEqual({ id: 3, host: 'n3', procs: null, missing: 'no answer within 4 s' });
    expect(procs({ node: 3 }).at?.nodes).toEqual([{ id: 3, host: 'n3', missing: 'no answer within 4 s' }]);
    expect(procs({ node: 9 }).at).toEqual({ t: T0 + 2 * MIN, nodes: [] });
  });

  it('before the first list there is none; a bad node number is refused by name', () => {
    expect(procs({ t: T0 - 1 })).toEqual({ started: T0, times: [T0, T0 + MIN, T0 + 2 * MIN], at: null, nodes: [] });
    expect(() => procs({ node: -1 })).toThrow(/node: expected a node number \(0 to 65535\), got -1/);
    expect(() => procs({ node: 'two' })).toThrow(/node: expected a node number/);
  });
});
