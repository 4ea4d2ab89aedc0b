// @vitest-environment jsdom
/** The main window's speed sliders: debounce, errors per row, one shared range, and replay greying them. */
import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ClusterMoment } from '../../../shared/protocol/agentHistory.js';
import { RpcError } from '../../../shared/protocol/rpc.js';
import { clusterActions, useCluster } from '../../store/clusterStore.js';
import { freshStoreEachTest, renderCluster, row, rowMessage, upView } from './mainWindow.test-util.js';

const lampRenders = vi.hoisted(() => new Map<number, number>());
vi.mock('../../components/Lamp.js', async (importOriginal) => (await import('./lampCounter.test-util.js')).countingLamp(await importOriginal(), lampRenders));

freshStoreEachTest(lampRenders);

describe('MainWindow speed', () => {
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
    emit('cluster.views', { views: [upView(3, 2, { speed: 90000 })] });
    expect(slider(3).value).toBe('90000');
    expect(slider(3).max).toBe(max);
    expect(slider(4).max).toBe(max);
  });

  it('share one range, wide enough for the fastest node; a speed set elsewhere beyond it widens it', async () => {
    const { emit } = await renderCluster([upView(1), upView(2, 1, { speed: 200000 })]);
    expect(slider(1).max).toBe(slider(2).max);
    expect(Number(slider(2).max)).toBeGreaterThan(200000);
    const before = new Map(lampRenders);
    emit('cluster.views', { views: [upView(1, 2, { speed: 20000 })] });
    expect(slider(1).max).toBe(slider(2).max);
    expect([...lampRenders].filter(([id, n]) => before.get(id) !== n).map(([id]) => id)).toEqual([1]);

    // mosctl setspeed on the node itself, beyond the range: the range widens so the thumb is not pinned at the end.
    emit('cluster.views', { views: [upView(2, 2, { speed: 900000 })] });
    expect(Number(slider(2).max)).toBeGreaterThanOrEqual(900000);
    expect(slider(1).max).toBe(slider(2).max);
  });
});

/** Replay of a moment at which the nodes were up as they are now: only the mode greys the controls. */
function replayNodesUp(ids: number[]) {
  act(() => clusterActions.enterReplay({ t: 1, nodes: ids.map((id) => upView(id) as ClusterMoment['nodes'][number]) }));
}

describe('main window during replay', () => {
  it('every speed slider is disabled, saying why; Live enables them again', async () => {
    await renderCluster([upView(1), upView(2)]);
    replayNodesUp([1, 2]);
    for (const id of [1, 2]) {
      const s = within(row(id)).getByRole('slider', { name: `Speed of node ${id}` }) as HTMLInputElement;
      expect(s.disabled).toBe(true);
      expect(s.title).toBe('replaying the past: press Live to change speeds');
    }
    act(() => clusterActions.leaveReplay());
    expect((within(row(1)).getByRole('slider', { name: 'Speed of node 1' }) as HTMLInputElement).disabled).toBe(false);
    expect((within(row(1)).getByRole('slider', { name: 'Speed of node 1' }) as HTMLInputElement).title).toBe('');
  });

  it('a speed chosen just before replay starts is not sent to today\'s node', async () => {
    vi.useFakeTimers();
    const { invoke } = await renderCluster([upView(3)]);
    fireEvent.change(within(row(3)).getByRole('slider', { name: 'Speed of node 3' }), { target: { value: '30000' } });
    replayNodesUp([3]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(invoke).not.toHaveBeenCalledWith('node.setSpeed', expect.anything());
    expect((within(row(3)).getByRole('slider', { name: 'Speed of node 3' }) as HTMLInputElement).value).toBe('10000');
  });


  it('Refresh and Autorefresh wait for Live, saying why', async () => {
    await renderCluster([upView(1)]);
    replayNodesUp([1]);
    const refresh = screen.getByRole('button', { name: 'Refresh' });
    expect(refresh).toHaveProperty('disabled', true);
    expect(refresh.getAttribute('title')).toMatch(/press Live first/);
    expect(screen.getByRole('checkbox', { name: 'Autorefresh' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('checkbox', { name: 'Autorefresh' })).toHaveProperty('checked', false);
    act(() => clusterActions.leaveReplay());
    expect(screen.getByRole('button', { name: 'Refresh' })).toHaveProperty('disabled', false);
    expect(screen.getByRole('checkbox', { name: 'Autorefresh' })).toHaveProperty('checked', true);
  });

  it('Autorefresh off before replay is off again after Live', async () => {
    await renderCluster([upView(1)]);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Autorefresh' }));
    expect(useCluster.getState().mode).toBe('paused');
    replayNodesUp([1]);
    act(() => clusterActions.leaveReplay());
    expect(screen.getByRole('checkbox', { name: 'Autorefresh' })).toHaveProperty('checked', false);
  });
});
