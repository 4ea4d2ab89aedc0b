/** Per-node figures over the cluster store: recomputed and announced only for the nodes whose view changed. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { NodeView } from '../../shared/domain/node.js';
import { clusterActions, useCluster, type ClusterState } from './clusterStore.js';
import { changedNodes, nodeFigures, sameFigures } from './nodeFigures.js';

const up = (id: number, load: number, t = 1): NodeView => ({ id, host: `n${id}`, status: 'up', sample: { t, hostname: `n${id}`, cpus: 4, demand: load, load, util: 0, mem: { totalKb: 1, freeKb: 1, availableKb: 1 }, speed: 10000, procCount: 1 } });
const IDS = Array.from({ length: 128 }, (_, i) => i + 1);

/** The store's figures of one node, counting how often each node's figures were computed. */
function loadFigures() {
  const computed = new Map<number, number>();
  const figures = nodeFigures(useCluster, (st: ClusterState, id) => {
    computed.set(id, (computed.get(id) ?? 0) + 1);
    const n = st.nodes[id];
    return n && { load: n.sample?.load, replaying: st.mode === 'replay' };
  });
  return { figures, computed };
}

beforeEach(() => {
  clusterActions.reset();
  clusterActions.applySnapshot({ name: 'c', source: 'profile', nodes: IDS.map((id) => up(id, 1)), hostKeyPrompts: [] });
});

describe('sameFigures', () => {
  it('compares field by field; a field that appears or goes is a change', () => {
    expect(sameFigures({ a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe(true);
    expect(sameFigures({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameFigures({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameFigures({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(sameFigures(undefined, { a: 1 })).toBe(false);
    expect(sameFigures(undefined, undefined)).toBe(true);
  });
});

describe('changedNodes', () => {
  it('names the nodes whose view changed, also one that left; anything else changed: all', () => {
    const before = useCluster.getState();
    clusterActions.applyViews([up(5, 2), up(77, 3)]);
    expect(changedNodes(before, useCluster.getState())).toEqual([5, 77]);
    expect(changedNodes(before, { ...before, nodes: Object.fromEntries(Object.entries(before.nodes).filter(([id]) => id !== '9')) })).toEqual([9]);
    clusterActions.setNslookup(true);
    expect(changedNodes(before, useCluster.getState())).toBe('all');
  });
});

describe('nodeFigures', () => {
  it('an update of 1 node in 128 recomputes and announces that node only; the others keep their figures object', () => {
    const { figures, computed } = loadFigures();
    const announced: number[] = [];
    const kept = IDS.map((id) => figures.get(id));
    IDS.forEach((id) => figures.subscribe(id, () => announced.push(id)));
    computed.clear();

    clusterActions.applyViews([up(77, 2)]);

    expect([...computed.keys()]).toEqual([77]);
    expect(announced).toEqual([77]);
    expect(figures.get(77)).toEqual({ load: 2, replaying: false });
    expect(IDS.filter((id) => figures.get(id) !== kept[id - 1])).toEqual([77]);
  });

  it('a new view with the same figures (a new second) announces nothing and keeps the object', () => {
    const { figures } = loadFigures();
    const before = figures.get(3);
    let announced = 0;
    figures.subscribe(3, () => announced++);
    clusterActions.applyViews([up(3, 1, 2)]);
    expect(announced).toBe(0);
    expect(figures.get(3)).toBe(before);
  });

  it('a change outside the nodes (replay begins) recomputes every node shown; a listener reads the new state of any node', () => {
    const { figures } = loadFigures();
    const seen: (boolean | undefined)[] = [];
    figures.get(2);
    figures.subscribe(1, () => seen.push(figures.get(1)?.replaying, figures.get(2)?.replaying));
    clusterActions.enterReplay(null);
    expect(seen).toEqual([true, true]);
  });

  it('a node that leaves has no figures; an unsubscribed listener is not called', () => {
    const { figures } = loadFigures();
    let calls = 0;
    const off = figures.subscribe(4, () => calls++);
    figures.get(4);
    clusterActions.applySnapshot({ name: 'c', source: 'profile', nodes: [up(1, 1)], hostKeyPrompts: [] });
    expect(figures.get(4)).toBeUndefined();
    expect(calls).toBe(1);
    off();
    clusterActions.applySnapshot({ name: 'c', source: 'profile', nodes: [up(4, 9)], hostKeyPrompts: [] });
    expect(calls).toBe(1);
    expect(figures.get(4)).toEqual({ load: 9, replaying: false });
  });
});
