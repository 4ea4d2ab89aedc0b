import { beforeEach, describe, expect, it } from 'vitest';
import type { NodeView } from '../../shared/domain/node.js';
import type { ClusterSnapshot } from '../../shared/protocol/api.js';
import { clusterActions, selectNode, useCluster } from './clusterStore.js';

function view(id: number, t: number, status: NodeView['status'] = 'up'): NodeView {
  return {
    id,
    host: `n${id}`,
    status,
    sample: status === 'up'
      ? { t, hostname: `n${id}`, cpus: 2, demand: 0, load: 0, util: 0, mem: { totalKb: 1000, freeKb: 500, availableKb: 700 }, speed: 10000, procCount: 1 }
      : undefined,
  };
}

function snap(nodes: NodeView[]): ClusterSnapshot {
  return { name: 'c', source: 'profile', nodes, hostKeyPrompts: [] };
}

beforeEach(() => clusterActions.reset());

describe('clusterStore', () => {
  it('applySnapshot keeps map order and node views', () => {
    clusterActions.applySnapshot(snap([view(4, 1), view(2, 1), view(7, 1)]));
    const st = useCluster.getState();
    expect(st.order).toEqual([4, 2, 7]);
    expect(st.name).toBe('c');
    expect(selectNode(2)(st)).toEqual(view(2, 1));
  });

  it('a snapshot with unchanged views keeps their identity, so their rows need not re-render', () => {
    clusterActions.applySnapshot(snap([view(1, 1), view(2, 1)]));
    const before = useCluster.getState().nodes;
    clusterActions.applySnapshot(snap([view(1, 1), view(2, 2)]));
    const after = useCluster.getState().nodes;
    expect(after[1]).toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
    expect(after[2]!.sample!.t).toBe(2);
  });

  it('applyView replaces one node only, ignores unknown nodes and holds while paused', () => {
    clusterActions.applySnapshot(snap([view(1, 1), view(2, 1)]));
    const before = useCluster.getState().nodes;
    clusterActions.applyView(view(2, 5));
    const after = useCluster.getState().nodes;
    expect(after[1]).toBe(before[1]);
    expect(after[2]!.sample!.t).toBe(5);

    clusterActions.applyView(view(9, 5));
    expect(useCluster.getState().nodes[9]).toBeUndefined();

    clusterActions.pause();
    clusterActions.applyView(view(2, 6, 'down'));
    expect(useCluster.getState().nodes[2]!.status).toBe('up');
    clusterActions.resume();
    clusterActions.applyView(view(2, 6, 'down'));
    expect(useCluster.getState().nodes[2]!.status).toBe('down');
  });

  it('replay shows the past, holds live views back and returns to the mode before it', () => {
    clusterActions.applySnapshot(snap([view(1, 1), view(2, 1)]));
    const moment = { t: 50, nodes: [{ id: 1, host: 'n1', status: 'up' as const, sample: view(1, 50).sample }] };
    clusterActions.enterReplay(moment);
    expect(useCluster.getState().mode).toBe('replay');
    expect(useCluster.getState().nodes[1]!.sample!.t).toBe(50);
    expect(useCluster.getState().nodes[2]).toMatchObject({ status: 'down', reason: 'not recorded at that time' });
    clusterActions.applyView(view(1, 60));
    expect(useCluster.getState().nodes[1]!.sample!.t).toBe(50);
    // Neither Autorefresh nor a second moment changes the mode to return to.
    clusterActions.resume();
    clusterActions.enterReplay(null);
    expect(useCluster.getState().nodes[1]).toMatchObject({ status: 'down', reason: 'no history at that time' });
    clusterActions.leaveReplay();
    expect(useCluster.getState().mode).toBe('live');

    clusterActions.pause();
    clusterActions.enterReplay(null);
    clusterActions.leaveReplay();
    expect(useCluster.getState().mode).toBe('paused');
  });

  it('prompts are added once per id and removed by id; action errors are per node', () => {
    const p = { promptId: 'a', nodeId: 1, host: 'n1', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:x', knownHostsFile: 'kh' };
    clusterActions.addPrompt(p);
    clusterActions.addPrompt(p);
    clusterActions.addPrompt({ ...p, promptId: 'b' });
    expect(useCluster.getState().prompts.map((x) => x.promptId)).toEqual(['a', 'b']);
    clusterActions.removePrompt('a');
    expect(useCluster.getState().prompts.map((x) => x.promptId)).toEqual(['b']);

    clusterActions.setActionError(3, 'boom');
    expect(useCluster.getState().actionErrors).toEqual({ 3: 'boom' });
    clusterActions.setActionError(3, undefined);
    expect(useCluster.getState().actionErrors[3]).toBeUndefined();
  });
});
