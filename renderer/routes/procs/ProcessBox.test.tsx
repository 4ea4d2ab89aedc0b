// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { clusterActions } from '../../store/clusterStore.js';
import { fakeBridge, loadNodes } from '../../components/fakeBridge.test-util.js';
import { ProcessBox } from './ProcessBox.js';

const openWindow = vi.hoisted(() => vi.fn());
vi.mock('../../windows.js', () => ({ openWindow }));

const proc = (over: Partial<ProcInfo>): ProcInfo => ({
  pid: 1, ppid: 0, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0.5, rssKb: 2048, nice: 0, where: 0, ...over,
});
const WRAP = 'sh -c "$@" 3>&-; echo $? >&3 mosixview-job';
const own = { home: 1, id: 4321 };
const guestRef = { home: 3, id: 77 };
const PROCS: ProcInfo[] = [
  proc({ pid: 4320, ppid: 1, command: 'unshare', args: `unshare --pid --fork setsid ${WRAP} /bin/sleep 300`, cantMove: 'not started with mosrun: only mosrun jobs can migrate', rssKb: 100, cpu: 0 }),
  proc({ pid: 4321, ppid: 4320, command: 'sh', args: `${WRAP} /bin/sleep 300`, job: own, cpu: 0, rssKb: 900 }),
  proc({ pid: 4322, ppid: 4321, user: 'alice', command: 'sleep', args: '/bin/sleep 300', nice: 5, job: own, cpu: 12.34, rssKb: 1048 }),
  proc({ pid: 1, cantMove: 'not started with mosrun: only mosrun jobs can migrate' }),
  proc({ pid: 900, ppid: 1, command: 'sh', args: `${WRAP} node job.js`, job: guestRef, guestFrom: 3 }),
  proc({ pid: 901, ppid: 900, user: 'bob', command: 'node', args: 'node job.js', job: guestRef, guestFrom: 3, state: 'R', cpu: 99 }),
  // openMosix's deputy of job 1.600, which runs on node 3: the job list says more about it.
  proc({ pid: 600, command: 'crunch', args: '/usr/bin/crunch -n 5', where: 3, away: { home: 1, id: 600 }, state: 'M', cpu: 0, rssKb: 0 }),
];
const AWAY: JobRecord = {
  ref: { home: 1, id: 600 }, argv: ['/usr/bin/crunch', '-n', '5'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/j', startedAt: 1,
  state: 'away', where: 3, locked: false, migrations: 1,
};
const HERE: JobRecord = { ...AWAY, ref: own, argv: ['/bin/sleep', '300'], state: 'running', where: 0, pid: 4321, migrations: 0 };

// A guest of node 1 that moved on to node 2: node 1 keeps a record of it, but it is node 3's job.
const PASSED: JobRecord = { ...AWAY, ref: { home: 3, id: 55 }, where: 2 };

function setup(procs = PROCS) {
  const fb = fakeBridge({ 'node.procs': () => procs, 'job.list': () => [AWAY, HERE, PASSED] });
  loadNodes([1, 2, 3]);
  render(<ProcessBox nodeId={1} bridge={fb.bridge} />);
  return fb;
}
const names = (table: string) => within(screen.getByRole('table', { name: table })).getAllByRole('row').map((r) => r.getAttribute('aria-label')).filter(Boolean);

beforeEach(() => {
  clusterActions.reset();
  openWindow.mockClear();
});
afterEach(cleanup);

describe('ProcessBox (the Mosixview client)', () => {
  it('lists the processes by PID with node, user, state, CPU, memory, nice and command; a job is one row', async () => {
    setup();
    const row = await screen.findByRole('row', { name: 'Job 1.4321' });
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent);
    // The user's command, its state and nice, and the CPU and memory of the whole job.
    expect(cells.slice(1)).toEqual(['4321', '0', 'alice', 'S', '12.3', '2 MB', '5', '/bin/sleep 300']);
    expect(names('Processes of node 1')).toEqual(['Process 1', 'Job 1.4321', 'Job 1.600']);
    expect(screen.getByRole('columnheader', { name: 'Node' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: /Processes of node 1/ }).textContent).toContain('node1.lab');
    expect(screen.getByRole('status', { name: 'Process count' }).textContent).toBe('3 processes and jobs, 1 guest');
  });

  it('"show job internals" reveals unshare and the sh -c wrapper under their job', async () => {
    setup();
    await screen.findByRole('row', { name: 'Job 1.4321' });
    expect(screen.queryByRole('row', { name: /^Process 432[012]/ })).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: /Show job internals/ }));
    expect(names('Processes of node 1')).toEqual([
      'Process 1', 'Job 1.4321', 'Process 4320 (unshare of job 1.4321)', 'Process 4321 (init of job 1.4321)', 'Process 4322 (command of job 1.4321)', 'Job 1.600',
    ]);
    expect(within(screen.getByRole('row', { name: /^Process 4321 / })).getAllByRole('cell').at(-1)!.textContent).toBe(`${WRAP} /bin/sleep 300`);
  });

  it('guests are listed apart, with the node they come from: they are not local processes', async () => {
    setup();
    const guest = await screen.findByRole('row', { name: 'Guest job 3.77' });
    expect(names('Processes of node 1')).not.toContain('Guest job 3.77');
    expect(screen.getByRole('columnheader', { name: 'From node' })).toBeTruthy();
    const cells = within(guest).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(1)).toEqual(['900', '3', 'bob', 'R', '99.5', '4 MB', '0', 'node job.js']);
    expect(within(guest).getByRole('img', { name: 'Migrated: guest from node 3' })).toBeTruthy();
  });

  it('marks migrated processes green and unmovable ones with a lock that says why', async () => {
    setup();
    const init = await screen.findByRole('row', { name: 'Process 1' });
    expect(init.className).not.toContain('proc-migrated');
    const lock = within(init).getByRole('img', { name: /^Cannot move:/ });
    expect(lock.getAttribute('title')).toBe('not started with mosrun: only mosrun jobs can migrate');
    // A job of this node that went to node 3: node column 3, green, once (not again as its deputy).
    const away = screen.getByRole('row', { name: 'Job 1.600' });
    expect(within(away).getAllByRole('cell')[2]!.textContent).toBe('3');
    // Its user, as its deputy in the process list gives it.
    expect(within(away).getAllByRole('cell')[3]!.textContent).toBe('root');
    expect(within(away).getByRole('img', { name: 'Migrated: runs on node 3' })).toBeTruthy();
    expect(screen.queryByRole('row', { name: 'Process 600' })).toBeNull();
  });

  it('refreshes every second and at once when a job of the node changes', async () => {
    const fb = setup();
    await screen.findByRole('row', { name: 'Job 1.4321' });
    await waitFor(() => expect(fb.calls('node.procs').length).toBeGreaterThanOrEqual(2), { timeout: 2500 });
    const n = fb.calls('node.procs').length;
    await fb.emit('job.changed', { nodeId: 1, record: AWAY });
    await waitFor(() => expect(fb.calls('node.procs').length).toBe(n + 1), { timeout: 500 });
    expect(fb.calls('node.procs').every((r) => r.nodeId === 1)).toBe(true);
  });

  it('a double-click (or Enter) on a row opens the migrator of that process, a job by its identity', async () => {
    setup();
    fireEvent.doubleClick(await screen.findByRole('row', { name: 'Process 1' }));
    expect(openWindow).toHaveBeenLastCalledWith('migrator/1/1', 'migrator-1-1');
    fireEvent.doubleClick(screen.getByRole('row', { name: 'Job 1.4321' }));
    expect(openWindow).toHaveBeenLastCalledWith('migrator/1/1.4321', 'migrator-1-1.4321');
    fireEvent.keyDown(screen.getByRole('row', { name: 'Job 1.600' }), { key: 'Enter' });
    expect(openWindow).toHaveBeenLastCalledWith('migrator/1/1.600', 'migrator-1-1.600');
    fireEvent.doubleClick(screen.getByRole('row', { name: 'Guest job 3.77' }));
    expect(openWindow).toHaveBeenLastCalledWith('migrator/1/3.77', 'migrator-1-3.77');
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
