// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { initialClusterState, useCluster } from '../../store/clusterStore.js';
import { fakeBridge, loadNodes } from '../../components/fakeBridge.test-util.js';
import { ProcessBox } from './ProcessBox.js';

const openWindow = vi.hoisted(() => vi.fn());
vi.mock('../../windows.js', () => ({ openWindow, routeOf: (h: string) => h.replace(/^#\/?/, '').split('/') }));

const proc = (over: Partial<ProcInfo>): ProcInfo => ({
  pid: 1, ppid: 0, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0.5, rssKb: 2048, nice: 0, where: 0, ...over,
});
const PROCS: ProcInfo[] = [
  proc({ pid: 4321, user: 'alice', command: 'sleep', args: '/bin/sleep 300', nice: 5, job: { home: 1, id: 4321 }, cpu: 12.34 }),
  proc({ pid: 1, cantMove: 'not started with mosrun: only mosrun jobs can migrate' }),
  proc({ pid: 900, command: 'count', args: 'node job.js', job: { home: 3, id: 77 }, guestFrom: 3 }),
];
const AWAY: JobRecord = {
  ref: { home: 1, id: 600 }, argv: ['/usr/bin/crunch', '-n', '5'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/j', startedAt: 1,
  state: 'away', where: 3, locked: false, migrations: 1,
};

function setup(procs = PROCS) {
  const fb = fakeBridge({ 'node.procs': () => procs, 'job.list': () => [AWAY] });
  loadNodes([1, 2, 3]);
  render(<ProcessBox nodeId={1} bridge={fb.bridge} />);
  return fb;
}

beforeEach(() => {
  useCluster.setState(initialClusterState, true);
  openWindow.mockClear();
});
afterEach(cleanup);

describe('ProcessBox (the Mosixview client)', () => {
  it('lists the processes by PID with node, user, state, CPU, memory, nice and command', async () => {
    setup();
    const row = await screen.findByRole('row', { name: 'Process 4321' });
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(1)).toEqual(['4321', '0', 'alice', 'S', '12.3', '2 MB', '5', '/bin/sleep 300']);
    const names = screen.getAllByRole('row').map((r) => r.getAttribute('aria-label')).filter(Boolean);
    expect(names).toEqual(['Process 1', 'Process 900', 'Process 4321', 'Job 1.600']);
    expect(screen.getByRole('columnheader', { name: 'Node' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: /Processes of node 1/ }).textContent).toContain('node1.lab');
  });

  it('marks migrated processes green and unmovable ones with a lock that says why', async () => {
    setup();
    const guest = await screen.findByRole('row', { name: 'Process 900' });
    expect(guest.className).toContain('proc-migrated');
    expect(within(guest).getByRole('img', { name: 'Migrated: guest from node 3' })).toBeTruthy();
    const init = screen.getByRole('row', { name: 'Process 1' });
    expect(init.className).not.toContain('proc-migrated');
    const lock = within(init).getByRole('img', { name: /^Cannot move:/ });
    expect(lock.getAttribute('title')).toBe('not started with mosrun: only mosrun jobs can migrate');
    // A job of this node that went to node 3: node column 3, green.
    const away = screen.getByRole('row', { name: 'Job 1.600' });
    expect(within(away).getAllByRole('cell')[2]!.textContent).toBe('3');
    expect(within(away).getByRole('img', { name: 'Migrated: runs on node 3' })).toBeTruthy();
  });

  it('refreshes every second and at once when a job of the node changes', async () => {
    const fb = setup();
    await screen.findByRole('row', { name: 'Process 4321' });
    await waitFor(() => expect(fb.calls('node.procs').length).toBeGreaterThanOrEqual(2), { timeout: 2500 });
    const n = fb.calls('node.procs').length;
    await fb.emit('job.changed', { nodeId: 1, record: AWAY });
    await waitFor(() => expect(fb.calls('node.procs').length).toBe(n + 1), { timeout: 500 });
    expect(fb.calls('node.procs').every((r) => r.nodeId === 1)).toBe(true);
  });

  it('a double-click (or Enter) on a row opens the migrator of that process', async () => {
    setup();
    fireEvent.doubleClick(await screen.findByRole('row', { name: 'Process 4321' }));
    expect(openWindow).toHaveBeenLastCalledWith('migrator/1/4321', 'migrator-1-4321');
    fireEvent.keyDown(screen.getByRole('row', { name: 'Job 1.600' }), { key: 'Enter' });
    expect(openWindow).toHaveBeenLastCalledWith('migrator/1/1.600', 'migrator-1-1.600');
  });

  it('opens the remote processes window and advanced execution of the node', async () => {
    setup();
    fireEvent.click(screen.getByRole('button', { name: 'Manage procs from remote' }));
    expect(openWindow).toHaveBeenLastCalledWith('remote/1', 'remote-1');
    fireEvent.click(screen.getByRole('button', { name: 'Advanced execution' }));
    expect(openWindow).toHaveBeenLastCalledWith('exec?node=1', 'exec-1');
  });

  it('says why the list is missing when the node cannot be asked', async () => {
    const fb = fakeBridge({
      'node.procs': () => Promise.reject(new Error('node 1 (h1) is not connected: link cut')),
      'job.list': () => [],
    });
    render(<ProcessBox nodeId={1} bridge={fb.bridge} />);
    expect((await screen.findByRole('alert')).textContent).toBe('Cannot list the processes of node 1: node 1 (h1) is not connected: link cut');
  });

  it('marks a job in the middle of a migration, with where it goes', async () => {
    setup([proc({ pid: 4321, command: 'sleep', args: '/bin/sleep 300', state: 'T', job: { home: 1, id: 4321 }, moving: { from: 1, to: 3 } })]);
    expect(await screen.findByRole('img', { name: 'Moving: from node 1 to node 3' })).toBeTruthy();
  });
});
