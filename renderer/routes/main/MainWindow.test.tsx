// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ClusterSnapshot, HostKeyPrompt } from '../../../shared/protocol/api.js';
import type { NodeSample, NodeView } from '../../../shared/domain/node.js';
import { RpcError } from '../../../shared/protocol/rpc.js';
import { clusterEfficiency } from '../../../shared/loadFigures.js';
import { clusterActions, initialClusterState, useCluster } from '../../store/clusterStore.js';
import { MainWindow } from './MainWindow.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';

/**
 * Counts renders of each node's row: NodeRow renders exactly one (unmemoised) Lamp, so
 * a Lamp render for node N is a NodeRow render for node N.
 */
const lampRenders = vi.hoisted(() => new Map<number, number>());
vi.mock('../../components/Lamp.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../components/Lamp.js')>();
  return {
    Lamp: (props: Parameters<typeof real.Lamp>[0]) => {
      lampRenders.set(props.id, (lampRenders.get(props.id) ?? 0) + 1);
      return real.Lamp(props);
    },
  };
});

function sample(t: number, over: Partial<NodeSample> = {}): NodeSample {
  return {
    t,
    hostname: 'h',
    cpus: 4,
    demand: 1,
    load: 1,
    util: 25,
    mem: { totalKb: 8_000_000, freeKb: 2_000_000, availableKb: 6_000_000 },
    speed: 10000,
    procCount: 50,
    ...over,
  };
}

function upView(id: number, t = 1, over: Partial<NodeSample> = {}): NodeView {
  return { id, host: `node${id}.cluster`, status: 'up', sample: { ...sample(t, over), hostname: `node${id}` } };
}

/** 1..100 in a scrambled but fixed "map" order. */
const MAP_ORDER = Array.from({ length: 100 }, (_, i) => ((i + 1) * 37) % 101);

function snapshotOf(nodes: NodeView[], prompts: HostKeyPrompt[] = []): ClusterSnapshot {
  return { name: 'testcluster', source: 'profile', nodes, hostKeyPrompts: prompts };
}

/** The shared stand-in with the main window's channels, wired to the store as renderer/main.tsx does. */
function clusterBridge(snapshot: ClusterSnapshot) {
  const fb = fakeBridge({ 'cluster.get': () => snapshot, 'cluster.refresh': () => snapshot, 'node.setSpeed': (r) => ({ speed: r.speed }), 'hostKey.answer': () => null, 'hostKey.askAgain': () => null });
  fb.bridge.on('node.view', (v) => clusterActions.applyView(v));
  fb.bridge.on('hostKey.prompt', (p) => clusterActions.addPrompt(p));
  fb.bridge.on('hostKey.resolved', ({ promptId }) => clusterActions.removePrompt(promptId));
  return fb;
}

/** Renders the main window and loads the snapshot, as renderer/main.tsx does with cluster.get. */
async function renderCluster(nodes: NodeView[] = MAP_ORDER.map((id) => upView(id))) {
  const fb = clusterBridge(snapshotOf(nodes));
  const ui = render(<MainWindow bridge={fb.bridge} />);
  const snap = await fb.bridge.invoke('cluster.get', null);
  act(() => clusterActions.applySnapshot(snap));
  return { ...fb, ui };
}

function row(id: number): HTMLElement {
  return screen.getByRole('row', { name: `Node ${id} row` });
}

/** The row's message cell (role status when it has something to say; the LCD is an <output>, also a status). */
function rowMessage(id: number): HTMLElement | undefined {
  return within(row(id))
    .queryAllByRole('status')
    .find((el) => el.tagName === 'TD');
}

beforeEach(() => {
  useCluster.setState(initialClusterState, true);
  lampRenders.clear();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('MainWindow', () => {
  it('shows 100 nodes in map order with accessible controls', async () => {
    await renderCluster();
    const hostButtons = screen.getAllByRole('button', { name: /^Node \d+$/ });
    expect(hostButtons.map((b) => b.getAttribute('aria-label'))).toEqual(MAP_ORDER.map((id) => `Node ${id}`));

    const r = within(row(3));
    expect(r.getByRole('button', { name: 'Node 3' }).textContent).toBe('node3.cluster');
    expect(r.getByRole('img', { name: 'Node 3 up' })).toBeTruthy();
    const slider = r.getByRole('slider', { name: 'Speed of node 3' }) as HTMLInputElement;
    expect(slider.value).toBe('10000');
    expect(r.getByRole('progressbar', { name: 'Load of node 3' }).getAttribute('aria-valuenow')).toBe('25');
    expect(r.getByRole('progressbar', { name: 'Memory of node 3' }).getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByRole('checkbox', { name: 'Autorefresh' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'nslookup' })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Load-balancing efficiency' }).getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByLabelText('CPUs of all nodes').textContent).toBe('400');
  });

  it('one node.view update re-renders only that node’s row', async () => {
    const { emit } = await renderCluster();
    expect(lampRenders.size).toBe(100);
    const before = new Map(lampRenders);

    // A busier node 50: also changes the efficiency and the main window's footer.
    emit('node.view', upView(50, 2, { load: 4, cpus: 8 }));
    expect(within(row(50)).getByRole('progressbar', { name: 'Load of node 50' }).getAttribute('aria-valuenow')).toBe('50');

    const rerendered = MAP_ORDER.filter((id) => lampRenders.get(id) !== before.get(id));
    expect(rerendered).toEqual([50]);
    expect(lampRenders.get(50)).toBe(before.get(50)! + 1);
    expect(screen.getByLabelText('CPUs of all nodes').textContent).toBe('404');

    // And a second node, unrelated to the first.
    emit('node.view', { id: 7, host: 'node7.cluster', status: 'down', reason: 'link cut' });
    expect(MAP_ORDER.filter((id) => lampRenders.get(id) !== before.get(id))).toEqual([50, 7]);
    expect(within(row(7)).getByRole('img', { name: 'Node 7 down' }).getAttribute('title')).toBe('link cut');
    expect(rowMessage(7)!.textContent).toBe('link cut');
  });

  it('ignores views of unknown nodes', async () => {
    const { emit } = await renderCluster([upView(1), upView(2)]);
    const before = new Map(lampRenders);
    emit('node.view', upView(3, 5));
    expect(screen.queryByRole('row', { name: 'Node 3 row' })).toBeNull();
    expect(lampRenders).toEqual(before);
  });

  it('with Autorefresh unchecked, node.view updates are not applied; checking it refreshes', async () => {
    const { emit, invoke } = await renderCluster([upView(1), upView(2)]);
    const auto = screen.getByRole('checkbox', { name: 'Autorefresh' }) as HTMLInputElement;
    expect(auto.checked).toBe(true);
    fireEvent.click(auto);
    expect(auto.checked).toBe(false);

    emit('node.view', { id: 2, host: 'node2.cluster', status: 'down', reason: 'gone' });
    expect(within(row(2)).getByRole('img', { name: 'Node 2 up' })).toBeTruthy();
    expect(useCluster.getState().nodes[2]!.status).toBe('up');
    expect(invoke).not.toHaveBeenCalledWith('cluster.refresh', null);

    fireEvent.click(auto);
    expect(auto.checked).toBe(true);
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('cluster.refresh', null));
    emit('node.view', { id: 2, host: 'node2.cluster', status: 'down', reason: 'gone' });
    expect(within(row(2)).getByRole('img', { name: 'Node 2 down' })).toBeTruthy();
  });

  it('an idle cluster reads 100% balanced, noisy loads and all', async () => {
    // Idle nodes of a busy machine: a fraction of a task each (4 CPUs per node here).
    const noisy = [0.9, 0.1, 3.2, 0.4, 0, 2.5, 0.7, 1.1, 0.05, 3.9];
    await renderCluster(MAP_ORDER.slice(0, 10).map((id, i) => upView(id, 1, { load: noisy[i]! })));
    const bar = screen.getByRole('progressbar', { name: 'Load-balancing efficiency' });
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('100% balanced');
  });

  it('the efficiency bar follows clusterEfficiency', async () => {
    const { emit } = await renderCluster(MAP_ORDER.slice(0, 10).map((id) => upView(id)));
    const bar = () => screen.getByRole('progressbar', { name: 'Load-balancing efficiency' });
    const expected = () => String(Math.round(clusterEfficiency(Object.values(useCluster.getState().nodes))!));
    expect(bar().getAttribute('aria-valuenow')).toBe('100');

    const [a, b, c] = MAP_ORDER as [number, number, number];
    emit('node.view', upView(a, 2, { load: 8 }));
    // 8 tasks on node a's 4 CPUs, one on each of the 9 others: 13 of the 17 tasks have a CPU.
    expect(bar().getAttribute('aria-valuenow')).toBe('76');
    expect(bar().getAttribute('aria-valuenow')).toBe(expected());

    emit('node.view', upView(b, 2, { load: 2, speed: 20000 }));
    expect(bar().getAttribute('aria-valuenow')).toBe(expected());

    emit('node.view', { id: c, host: 'x', status: 'down', reason: 'off' });
    expect(bar().getAttribute('aria-valuenow')).toBe(expected());
    expect(bar().getAttribute('aria-valuetext')).toBe(`${expected()}% balanced`);

    for (const id of MAP_ORDER.slice(0, 10)) emit('node.view', { id, host: 'x', status: 'down', reason: 'off' });
    expect(bar().getAttribute('aria-valuenow')).toBeNull();
    expect(bar().getAttribute('aria-valuetext')).toBe('no node up');
  });

  it('the host key dialog shows the fingerprint and Accept answers yes', async () => {
    const { emit, invoke } = await renderCluster([upView(1), upView(2)]);
    expect(screen.queryByRole('dialog')).toBeNull();
    const prompt: HostKeyPrompt = {
      promptId: 'p-1',
      nodeId: 2,
      host: 'node2.cluster',
      port: 2222,
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
      knownHostsFile: '/home/admin/.ssh/known_hosts',
    };
    emit('hostKey.prompt', prompt);
    const dialog = screen.getByRole('dialog', { name: 'Unknown host key of node 2' });
    expect(within(dialog).getByLabelText('Fingerprint of node 2').textContent).toBe(prompt.fingerprint);
    expect(dialog.textContent).toContain('[node2.cluster]:2222');
    expect(dialog.textContent).toContain('/home/admin/.ssh/known_hosts');
    // One key: nothing to trust "all" of.
    expect(within(dialog).queryByRole('button', { name: /^Trust all/ })).toBeNull();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Accept key of node 2' }));
    expect(invoke).toHaveBeenCalledWith('hostKey.answer', { promptId: 'p-1', accept: true });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Reject answers no; hostKey.resolved from elsewhere closes the dialog', async () => {
    const { emit, invoke } = await renderCluster([upView(1), upView(2)]);
    const base = { host: 'node1', port: 22, keyType: 'ssh-rsa', knownHostsFile: 'kh' };
    emit('hostKey.prompt', { ...base, nodeId: 1, promptId: 'a', fingerprint: 'SHA256:aaa' });
    emit('hostKey.prompt', { ...base, nodeId: 2, promptId: 'b', fingerprint: 'SHA256:bbb' });
    fireEvent.click(screen.getByRole('button', { name: 'Reject key of node 1' }));
    expect(invoke).toHaveBeenCalledWith('hostKey.answer', { promptId: 'a', accept: false });
    // The other question stays.
    expect(screen.getByRole('dialog', { name: 'Unknown host key of node 2' })).toBeTruthy();
    expect(screen.getByLabelText('Fingerprint of node 2').textContent).toBe('SHA256:bbb');
    emit('hostKey.resolved', { promptId: 'b' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('the keys of a new cluster are asked about in one dialog: every node and fingerprint, and "Trust all N keys shown"', async () => {
    const { emit, calls } = await renderCluster([1, 2, 3, 4].map((id) => upView(id)));
    const prompt = (id: number): HostKeyPrompt => ({
      promptId: `p${id}`, nodeId: id, host: `node${id}.cluster`, port: 22, keyType: 'ssh-ed25519', fingerprint: `SHA256:fp-of-${id}`, knownHostsFile: 'kh',
    });
    for (const id of [3, 1, 4]) emit('hostKey.prompt', prompt(id));
    const dialog = screen.getByRole('dialog', { name: 'Unknown host keys of 3 nodes' });
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    const rows = within(dialog).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual(
      [1, 3, 4].map((id) => [`${id}`, `node${id}.cluster`, 'ssh-ed25519', `SHA256:fp-of-${id}`, 'AcceptReject']),
    );

    // A key arriving while the admin reads joins the list, and the count with it.
    emit('hostKey.prompt', prompt(2));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Accept key of node 3' }));
    expect(calls('hostKey.answer')).toEqual([{ promptId: 'p3', accept: true }]);
    expect(screen.getByRole('dialog', { name: 'Unknown host keys of 3 nodes' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Trust all 3 keys shown' }));
    expect(calls('hostKey.answer').slice(1).sort((a, b) => a.promptId.localeCompare(b.promptId))).toEqual(
      ['p1', 'p2', 'p4'].map((promptId) => ({ promptId, accept: true })),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls('hostKey.answer')).toHaveLength(4); // one answer per key, none twice
  });

  it('a rejected node says "host key rejected" in its row; Ask again asks the main process to connect again', async () => {
    const { emit, calls } = await renderCluster([upView(1), upView(2)]);
    emit('node.view', { id: 2, host: 'node2.cluster', status: 'down', reason: 'host key of node2.cluster (ssh-ed25519 SHA256:x) was not accepted: not connecting', hostKeyRejected: true });
    expect(rowMessage(2)!.textContent).toMatch(/^host key rejected/);
    expect(rowMessage(2)!.querySelector('[title]')!.getAttribute('title')).toMatch(/SHA256:x/);
    fireEvent.click(within(row(2)).getByRole('button', { name: 'Ask again about the host key of node 2' }));
    await waitFor(() => expect(calls('hostKey.askAgain')).toEqual([{ nodeId: 2 }]));
    // A node down for another reason offers no such button.
    emit('node.view', { id: 1, host: 'node1.cluster', status: 'down', reason: 'link cut' });
    expect(within(row(1)).queryByRole('button', { name: /Ask again/ })).toBeNull();
    // Once it is asked again the mark is gone.
    emit('node.view', { id: 2, host: 'node2.cluster', status: 'connecting' });
    expect(within(row(2)).queryByRole('button', { name: /Ask again/ })).toBeNull();
  });

  it('moving a speed slider sets the speed after the debounce, once', async () => {
    vi.useFakeTimers();
    const { invoke } = await renderCluster([upView(3), upView(4)]);
    const slider = within(row(3)).getByRole('slider', { name: 'Speed of node 3' }) as HTMLInputElement;
    fireEvent.change(slider, { target: { value: '20000' } });
    fireEvent.change(slider, { target: { value: '25000' } });
    expect(slider.value).toBe('25000');
    expect(within(row(3)).getByLabelText('Speed value of node 3').textContent).toBe('25000');
    expect(invoke).not.toHaveBeenCalledWith('node.setSpeed', expect.anything());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    const calls = invoke.mock.calls.filter(([c]) => c === 'node.setSpeed');
    expect(calls).toEqual([['node.setSpeed', { nodeId: 3, speed: 25000 }]]);
  });

  it('a failed speed change shows the error in that row only', async () => {
    const { invoke } = await renderCluster([upView(3), upView(4)]);
    invoke.mockImplementation(async (channel) => {
      if (channel === 'node.setSpeed') throw new RpcError('ENODEDOWN', 'node 3 (node3.cluster) is not connected');
      return null as never;
    });
    fireEvent.change(within(row(3)).getByRole('slider', { name: 'Speed of node 3' }), { target: { value: '30000' } });
    await waitFor(() => expect(rowMessage(3)!.textContent).toContain('node 3 (node3.cluster) is not connected'), {
      timeout: 10_000,
    });
    expect(rowMessage(3)!.textContent).toMatch(/setting the speed failed/);
    expect(invoke).toHaveBeenCalledWith('node.setSpeed', { nodeId: 3, speed: 30000 });
    expect(rowMessage(4)).toBeUndefined();
    // The slider falls back to the node's real speed.
    await waitFor(() => expect((within(row(3)).getByRole('slider', { name: 'Speed of node 3' }) as HTMLInputElement).value).toBe('10000'));
  });

  it('a down node has a disabled slider and shows its reason', async () => {
    await renderCluster([upView(1), { id: 2, host: 'node2', status: 'down', reason: 'no route to host' }]);
    expect((within(row(2)).getByRole('slider', { name: 'Speed of node 2' }) as HTMLInputElement).disabled).toBe(true);
    expect(rowMessage(2)!.textContent).toBe('no route to host');
    expect(within(row(2)).getByRole('progressbar', { name: 'Load of node 2' }).getAttribute('aria-valuetext')).toBe('no data');
  });
});

describe('speed sliders', () => {
  const slider = (id: number) => within(row(id)).getByRole('slider', { name: `Speed of node ${id}` }) as HTMLInputElement;

  it('keep their range after a drag: the thumb stays where it was let go', async () => {
    vi.useFakeTimers();
    const { emit } = await renderCluster([upView(3), upView(4)]);
    const max = slider(3).max;
    fireEvent.change(slider(3), { target: { value: '90000' } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    emit('node.view', upView(3, 2, { speed: 90000 }));
    expect(slider(3).value).toBe('90000');
    expect(slider(3).max).toBe(max);
    expect(slider(4).max).toBe(max);
  });

  it('share one range, wide enough for the fastest node; a speed set elsewhere beyond it widens it', async () => {
    const { emit } = await renderCluster([upView(1), upView(2, 1, { speed: 200000 })]);
    expect(slider(1).max).toBe(slider(2).max);
    expect(Number(slider(2).max)).toBeGreaterThan(200000);
    const before = new Map(lampRenders);
    emit('node.view', upView(1, 2, { speed: 20000 }));
    expect(slider(1).max).toBe(slider(2).max);
    expect([...lampRenders].filter(([id, n]) => before.get(id) !== n).map(([id]) => id)).toEqual([1]);

    // mosctl setspeed on the node itself, beyond the range: the range widens so the thumb is not pinned at the end.
    emit('node.view', upView(2, 2, { speed: 900000 }));
    expect(Number(slider(2).max)).toBeGreaterThanOrEqual(900000);
    expect(slider(1).max).toBe(slider(2).max);
  });
});

describe('main window during replay', () => {
  it('every speed slider is disabled, saying why; Live enables them again', async () => {
    await renderCluster([upView(1), upView(2)]);
    act(() => useCluster.setState({ replaying: true }));
    for (const id of [1, 2]) {
      const s = within(row(id)).getByRole('slider', { name: `Speed of node ${id}` }) as HTMLInputElement;
      expect(s.disabled).toBe(true);
      expect(s.title).toBe('replaying the past: press Live to change speeds');
    }
    act(() => useCluster.setState({ replaying: false }));
    expect((within(row(1)).getByRole('slider', { name: 'Speed of node 1' }) as HTMLInputElement).disabled).toBe(false);
    expect((within(row(1)).getByRole('slider', { name: 'Speed of node 1' }) as HTMLInputElement).title).toBe('');
  });

  it('a speed chosen just before replay starts is not sent to today\'s node', async () => {
    vi.useFakeTimers();
    const { invoke } = await renderCluster([upView(3)]);
    fireEvent.change(within(row(3)).getByRole('slider', { name: 'Speed of node 3' }), { target: { value: '30000' } });
    act(() => useCluster.setState({ replaying: true }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(invoke).not.toHaveBeenCalledWith('node.setSpeed', expect.anything());
    expect((within(row(3)).getByRole('slider', { name: 'Speed of node 3' }) as HTMLInputElement).value).toBe('10000');
  });


  it('Refresh and Autorefresh wait for Live, saying why', async () => {
    await renderCluster([upView(1)]);
    act(() => useCluster.setState({ replaying: true, autorefresh: false }));
    const refresh = screen.getByRole('button', { name: 'Refresh' });
    expect(refresh).toHaveProperty('disabled', true);
    expect(refresh.getAttribute('title')).toMatch(/press Live first/);
    expect(screen.getByRole('checkbox', { name: 'Autorefresh' })).toHaveProperty('disabled', true);
    act(() => useCluster.setState({ replaying: false }));
    expect(screen.getByRole('button', { name: 'Refresh' })).toHaveProperty('disabled', false);
  });
});
