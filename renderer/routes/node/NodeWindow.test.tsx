// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { BalanceState } from '../../../shared/protocol/agentBalance.js';
import { DEFAULT_DECAY } from '../../../shared/balancing/types.js';
import { NO_FLAGS } from '../../../shared/protocol/balanceFlags.js';
import type { NodeResult } from '../../../shared/protocol/apiBalance.js';
import type { NodeSample, NodeView } from '../../../shared/domain/node.js';
import { clusterActions } from '../../store/clusterStore.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';
import { NodeWindow } from './NodeWindow.js';

/** The window sets its title once per render; each node's panel renders one Lamp. */
const renders = vi.hoisted(() => ({ window: 0, panels: new Map<number, number>() }));
vi.mock('../../windowTitle.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../windowTitle.js')>();
  return { ...real, useWindowTitle: (t: string) => { renders.window++; real.useWindowTitle(t); } };
});
vi.mock('../../components/Lamp.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../components/Lamp.js')>();
  return { Lamp: (props: Parameters<typeof real.Lamp>[0]) => { renders.panels.set(props.id, (renders.panels.get(props.id) ?? 0) + 1); return real.Lamp(props); } };
});

const sample = (over: Partial<NodeSample>): NodeSample => ({
  t: 1, hostname: 'mvnode1', cpus: 2, demand: 0, load: 0.1, util: 2, mem: { totalKb: 4096, freeKb: 1024, availableKb: 2048 }, speed: 85000, procCount: 9, ...over,
});
function show(s: NodeSample) {
  const nodes: NodeView[] = [{ id: 1, host: '10.0.0.2', status: 'up', sample: s }];
  act(() => clusterActions.applySnapshot({ name: 'lab', source: 'profile', nodes, hostKeyPrompts: [] }));
  const fb = fakeBridge({ 'balance.state': () => Promise.reject(new Error('not now')) });
  render(<NodeWindow which={1} bridge={fb.bridge} />);
  const facts = screen.getByRole('region', { name: 'Node 1 configuration' });
  const dts = within(facts).getAllByRole('term');
  const speed = dts.find((d) => d.textContent === 'Speed')!.nextElementSibling!;
  return speed.textContent;
}

beforeEach(() => {
  clusterActions.reset();
  renders.window = 0;
  renders.panels.clear();
});
afterEach(cleanup);

describe('NodeWindow: where the speed comes from', () => {
  it('says that the speed was calibrated', () => {
    expect(show(sample({ speedSource: 'calibrated' }))).toBe('85000 (calibrated)');
  });
  it('says that the speed was set by the admin', () => {
    expect(show(sample({ speed: 15000, speedSource: 'admin' }))).toBe('15000 (set by the admin)');
  });
  it('shows the bare figure from an agent that does not say', () => {
    expect(show(sample({}))).toBe('85000');
  });
});

describe('NodeWindow renders', () => {
  const state: BalanceState = { nodeId: 1, flags: NO_FLAGS, decay: DEFAULT_DECAY, speed: 10000, exchanging: true, canMigrate: true, note: '', moves: 0, failedMoves: 0, jobs: 0, guests: 0, away: 0, held: [], avoiding: [] };
  /** Nodes 1-3 up; balance.state answers once, then waits: no render but the ones the store causes. */
  function open(which: 1 | 'all') {
    const nodes: NodeView[] = [1, 2, 3].map((id) => ({ id, host: `10.0.0.${id}`, status: 'up', sample: sample({ t: 1, hostname: `mvnode${id}` }) }));
    act(() => clusterActions.applySnapshot({ name: 'lab', source: 'profile', nodes, hostKeyPrompts: [] }));
    let asked = 0;
    const fb = fakeBridge({
      'balance.state': ({ nodeId }) => asked++ === 0
        ? (nodeId === 'all' ? [1, 2, 3] : [nodeId]).map((id): NodeResult<BalanceState> => ({ nodeId: id, ok: true, value: state }))
        : new Promise<NodeResult<BalanceState>[]>(() => undefined),
    });
    render(<NodeWindow which={which} bridge={fb.bridge} />);
  }
  const view = (id: number, t: number): NodeView => ({ id, host: `10.0.0.${id}`, status: 'up', sample: sample({ t, hostname: `mvnode${id}`, speed: 10000 + t }) });

  it("one node's window: another node's sample does not re-render it, its own re-renders its panel", async () => {
    open(1);
    await waitFor(() => expect(renders.window).toBeGreaterThan(0));
    await act(async () => undefined);
    const before = { window: renders.window, panel: renders.panels.get(1) };
    act(() => clusterActions.applyView(view(2, 2)));
    act(() => clusterActions.applyView(view(3, 2)));
    expect({ window: renders.window, panel: renders.panels.get(1) }).toEqual(before);
    // Its own sample re-renders its panel (the speed, the host name), not the whole window.
    act(() => clusterActions.applyView(view(1, 2)));
    expect({ window: renders.window, panel: renders.panels.get(1) }).toEqual({ window: before.window, panel: before.panel! + 1 });
  });

  it("all nodes: a node's sample re-renders its own panel only, not the window", async () => {
    open('all');
    await waitFor(() => expect(renders.panels.get(3)).toBeGreaterThan(0));
    await act(async () => undefined);
    const window = renders.window;
    const panels = new Map(renders.panels);
    act(() => clusterActions.applyView(view(2, 2)));
    expect(renders.window).toBe(window);
    expect([1, 2, 3].filter((id) => renders.panels.get(id) !== panels.get(id))).toEqual([2]);
  });
});
