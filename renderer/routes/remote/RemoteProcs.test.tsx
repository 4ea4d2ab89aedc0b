// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { RpcError } from '../../../shared/protocol/rpc.js';
import { initialClusterState, useCluster } from '../../store/clusterStore.js';
import { fakeBridge, loadNodes } from '../../components/fakeBridge.test-util.js';
import { RemoteProcs } from './RemoteProcs.js';

const guest = (pid: number, home: number): ProcInfo => ({
  pid, ppid: 1, user: 'bob', command: 'count', args: `node count.js ${pid}`, state: 'R', cpu: 99, rssKb: 40960, nice: 0, where: 0,
  job: { home, id: pid + 1000 }, guestFrom: home,
});
const moved = (where: number): JobRecord => ({
  ref: { home: 1, id: 1 }, argv: ['x'], cwd: '/', mode: { kind: 'plain' }, dir: '', startedAt: 0, state: 'away', where, locked: false, migrations: 1,
});

beforeEach(() => useCluster.setState(initialClusterState, true));
afterEach(cleanup);

describe('RemoteProcs (processes migrated to this node)', () => {
  it('lists the guests with their home node; goto home / best node migrate that job', async () => {
    const fb = fakeBridge({ 'node.guests': () => [guest(50, 1), guest(60, 4)], 'job.migrate': (r) => moved(r.to === 'home' ? 0 : 2) });
    loadNodes([1, 2, 3, 4]);
    render(<RemoteProcs nodeId={3} bridge={fb.bridge} />);
    const row = await screen.findByRole('row', { name: 'Guest 60' });
    expect(within(row).getAllByRole('cell')[1]!.textContent).toBe('4');
    fireEvent.click(within(row).getByRole('button', { name: 'goto home node' }));
    await waitFor(() => expect(fb.calls('job.migrate')).toEqual([{ nodeId: 3, ref: { home: 4, id: 1060 }, to: 'home' }]));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Sending process 60 (job 4.1060) home to node 4: done, it runs on its home node now'));
    fireEvent.click(within(screen.getByRole('row', { name: 'Guest 50' })).getByRole('button', { name: 'goto best node' }));
    await waitFor(() => expect(fb.calls('job.migrate').at(-1)).toEqual({ nodeId: 3, ref: { home: 1, id: 1050 }, to: 'best' }));
    expect(fb.calls('node.guests').every((r) => r.nodeId === 3)).toBe(true);
  });

  it('says when there are no guests, and why an action failed', async () => {
    const fb = fakeBridge({ 'node.guests': () => [], 'job.migrate': () => Promise.reject(new RpcError('EFAIL', 'x')) });
    render(<RemoteProcs nodeId={2} bridge={fb.bridge} />);
    expect((await screen.findByRole('status', { name: 'No guests' })).textContent).toBe('No processes from other nodes run on node 2.');
  });

  it('shows a failed migration as an alert', async () => {
    const fb = fakeBridge({ 'node.guests': () => [guest(50, 1)], 'job.migrate': () => Promise.reject(new RpcError('EFAIL', 'CRIU is not installed on node 1')) });
    render(<RemoteProcs nodeId={2} bridge={fb.bridge} />);
    fireEvent.click(await screen.findByRole('button', { name: 'goto home node' }));
    expect((await screen.findByRole('alert', { name: 'Last action' })).textContent).toBe('Sending process 50 (job 1.1050) home to node 1 failed: CRIU is not installed on node 1');
  });

  it('a guest job is one row: the command its user started, with the CPU of the whole job', async () => {
    const ref = { home: 4, id: 1060 };
    const wrap: ProcInfo = { ...guest(60, 4), command: 'sh', args: 'sh -c "$@" 3>&-; echo $? >&3 mosixview-job node count.js', cpu: 0.5, job: ref };
    const cmd: ProcInfo = { ...guest(61, 4), ppid: 60, job: ref, args: 'node count.js', cpu: 99 };
    const fb = fakeBridge({ 'node.guests': () => [wrap, cmd], 'job.migrate': () => moved(4) });
    render(<RemoteProcs nodeId={3} bridge={fb.bridge} />);
    const row = await screen.findByRole('row', { name: 'Guest 60' });
    expect(screen.getAllByRole('row').filter((r) => r.getAttribute('aria-label'))).toHaveLength(1);
    expect(within(row).getAllByRole('cell').map((c) => c.textContent).slice(0, 7)).toEqual(['60', '4', '4.1060', 'bob', '99.5', '80 MB', 'node count.js']);
  });
});
