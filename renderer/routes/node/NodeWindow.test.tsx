// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import type { NodeSample, NodeView } from '../../../shared/domain/node.js';
import { initialClusterState, clusterActions, useCluster } from '../../store/clusterStore.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';
import { NodeWindow } from './NodeWindow.js';

const sample = (over: Partial<NodeSample>): NodeSample => ({
  t: 1, hostname: 'mvnode1', cpus: 2, demand: 0, load: 0.1, util: 2, mem: { totalKb: 4096, freeKb: 1024, availableKb: 2048 }, speed: 85000, procCount: 9, ...over,
});
function show(s: NodeSample) {
  const nodes: NodeView[] = [{ id: 1, host: '10.0.0.2', status: 'up', sample: s }];
  act(() => clusterActions.applySnapshot({ name: 'lab', source: 'profile', nodes, hostKeyPrompts: [] }));
  const fb = fakeBridge({ 'balance.state': () => Promise.reject(new Error('not now')) });
  render(<NodeWindow which="1" bridge={fb.bridge} />);
  const facts = screen.getByRole('region', { name: 'Node 1 configuration' });
  const dts = within(facts).getAllByRole('term');
  const speed = dts.find((d) => d.textContent === 'Speed')!.nextElementSibling!;
  return speed.textContent;
}

beforeEach(() => useCluster.setState(initialClusterState, true));
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
