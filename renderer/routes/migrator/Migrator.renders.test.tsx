// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import type { NodeSample, NodeView } from '../../../shared/domain/node.js';
import type { ProcStatus } from '../../../shared/protocol/apiJobs.js';
import { clusterActions } from '../../store/clusterStore.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';
import { Migrator } from './Migrator.js';

/** The migrator sets its title once per render: a title set is a Migrator render. */
const renders = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../windowTitle.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../windowTitle.js')>();
  return { ...real, useWindowTitle: (t: string) => { renders.n++; real.useWindowTitle(t); } };
});

const sample = (t: number): NodeSample => ({ t, hostname: 'h', cpus: 2, demand: 0, load: 0.2, util: 10, mem: { totalKb: 4096, freeKb: 1024, availableKb: 2048 }, speed: 10000, procCount: 9 });
const up = (id: number, t: number): NodeView => ({ id, host: `node${id}.lab`, status: 'up', sample: sample(t) });
const status: ProcStatus = { nodeId: 1, proc: { pid: 4321, ppid: 1, user: 'alice', command: 'sleep', args: '/bin/sleep 300', state: 'S', cpu: 0, rssKb: 900, nice: 0, where: 0 }, reasons: [] };

beforeEach(() => {
  clusterActions.reset();
  renders.n = 0;
});
afterEach(cleanup);

describe('Migrator renders', () => {
  it('a sample of any node does not re-render it; a node going down greys its button', async () => {
    // One answer, then the poll waits: no render but the ones the store causes.
    let asked = 0;
    const fb = fakeBridge({ 'job.status': () => (asked++ === 0 ? status : new Promise<ProcStatus>(() => undefined)) });
    act(() => clusterActions.applySnapshot({ name: 'lab', source: 'profile', nodes: [1, 2, 3].map((id) => up(id, 1)), hostKeyPrompts: [] }));
    render(<Migrator nodeId={1} which="4321" bridge={fb.bridge} />);
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    const before = renders.n;

    act(() => clusterActions.applyView(up(2, 2)));
    act(() => clusterActions.applyView(up(1, 2)));
    expect(renders.n).toBe(before);

    act(() => clusterActions.applyView({ id: 2, host: 'node2.lab', status: 'down', reason: 'link cut' }));
    expect(screen.getByRole('button', { name: 'Migrate to node 2' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Migrate to node 2' }).getAttribute('title')).toBe('node 2 is down: link cut');
    expect(screen.getByRole('button', { name: 'Migrate to node 3' })).toHaveProperty('disabled', false);
  });
});
