// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { CollectorStatus } from '../../shared/protocol/agentHistory.js';
import type { NodeSample } from '../../shared/domain/node.js';
import { fakeBridge, loadNodes } from '../components/fakeBridge.test-util.js';
import { initialClusterState, useCluster } from '../store/clusterStore.js';
import { ReplayBar } from './ReplayBar.js';

const T0 = 1_700_000_000_000;
const status: CollectorStatus = { host: 'n1', running: true, pid: 9, started: T0, last: T0 + 60_000, dir: '/h', backups: [] };
const past = (load: number): NodeSample => ({ t: T0 + 10_000, hostname: 'n2', cpus: 1, demand: load, load, util: 90, mem: { totalKb: 4, freeKb: 1, availableKb: 2 }, speed: 10000, procCount: 0 });

function bridge() {
  return fakeBridge({
    'history.at': ({ t }) => ({ t: t - (t % 1000), nodes: [{ id: 2, host: 'n2', status: 'up', sample: past(0.9) }] }),
    'cluster.get': () => ({ name: 'lab', source: 'profile', nodes: [{ id: 2, host: 'node2.lab', status: 'up' }], hostKeyPrompts: [] }),
  });
}

beforeEach(() => {
  useCluster.setState(initialClusterState, true);
  loadNodes([2]);
});
afterEach(cleanup);

describe('replay bar', () => {
  it('a moment picked shows the past, marked; Live brings the live rows and autorefresh back', async () => {
    const fb = bridge();
    render(<ReplayBar bridge={fb.bridge} status={status} />);
    fireEvent.change(screen.getByRole('slider', { name: 'History time' }), { target: { value: String(T0 + 10_000) } });
    await waitFor(() => expect(useCluster.getState().nodes[2]!.sample?.load).toBe(0.9));
    expect(useCluster.getState()).toMatchObject({ replaying: true, autorefresh: false });
    // The greyed speed sliders say why in their tooltip only; the banner says it for all to see.
    expect(screen.getByRole('status', { name: 'Replay time' }).textContent).toMatch(/^REPLAY: .* not live: press Live to change speeds$/);
    fireEvent.click(screen.getByRole('button', { name: 'Live' }));
    await waitFor(() => expect(useCluster.getState().replaying).toBe(false));
    expect(useCluster.getState().autorefresh).toBe(true);
    expect(fb.calls('cluster.get')).toHaveLength(1);
    expect(screen.queryByRole('status', { name: 'Replay time' })).toBeNull();
  });
  it('if the collector\'s node stops answering mid-replay, the banner and the way back to live stay', async () => {
    const fb = bridge();
    const ui = render(<ReplayBar bridge={fb.bridge} status={status} />);
    fireEvent.change(screen.getByRole('slider', { name: 'History time' }), { target: { value: String(T0 + 10_000) } });
    await waitFor(() => expect(useCluster.getState().replaying).toBe(true));
    ui.rerender(<ReplayBar bridge={fb.bridge} status={null} />);
    expect(screen.queryByRole('slider', { name: 'History time' })).toBeNull();
    expect(screen.getByRole('status', { name: 'Replay time' }).textContent).toMatch(/cannot be read now/);
    fireEvent.click(screen.getByRole('button', { name: 'Live' }));
    await waitFor(() => expect(useCluster.getState().replaying).toBe(false));
    expect(screen.queryByRole('button', { name: 'Live' })).toBeNull();
  });
  it('with no history and no replay it shows nothing', () => {
    const { container } = render(<ReplayBar bridge={bridge().bridge} status={undefined} />);
    expect(container.innerHTML).toBe('');
  });
});
