// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { RpcError } from '../../../shared/protocol/rpc.js';
import { clusterActions } from '../../store/clusterStore.js';
import { fakeBridge, loadNodes } from '../../components/fakeBridge.test-util.js';
import { ClusterProcs } from './ClusterProcs.js';
import { CLUSTER_PROCS_REFRESH_MS, SLOW_NODE_MS } from './useClusterProcs.js';

const openWindow = vi.hoisted(() => vi.fn());
vi.mock('../../windows.js', () => ({ openWindow }));

const proc = (over: Partial<ProcInfo>): ProcInfo => ({
  pid: 1, ppid: 0, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0, rssKb: 1024, nice: 0, where: 0, ...over,
});
const ref = { home: 1, id: 600 };
const RECORD: JobRecord = {
  ref, argv: ['/usr/bin/crunch', '-n', '5'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/j', startedAt: 1, state: 'running', where: 0, pid: 77, locked: false, migrations: 2,
};
/** Node 1: init, a shell and its child; node 3: job 1.600, migrated there (node 1 keeps its deputy). */
function lists(): Record<number, ProcInfo[]> {
  return {
    1: [
      proc({ pid: 1 }),
      proc({ pid: 500, ppid: 1, user: 'bob', command: 'sh', args: 'sh -c sleep 47120; true' }),
      proc({ pid: 501, ppid: 500, user: 'bob', command: 'sleep', args: 'sleep 47120', cpu: 3 }),
      proc({ pid: 600, where: 3, away: ref, state: 'M', command: 'crunch', args: '/usr/bin/crunch -n 5' }),
    ],
    3: [
      proc({ pid: 1 }),
      proc({ pid: 77, ppid: 1, command: 'crunch', args: '/usr/bin/crunch -n 5', user: 'alice', cpu: 99, job: ref, guestFrom: 1, state: 'R' }),
    ],
  };
}

function setup(procs = lists(), nodes = [1, 2, 3]) {
  const fb = fakeBridge({
    'node.procs': ({ nodeId }) => procs[nodeId] ?? Promise.reject(new RpcError('ENODEDOWN', `node ${nodeId} (h${nodeId}) is not connected: link cut`)),
    'job.list': ({ nodeId }) => (nodeId === 3 ? [RECORD] : []),
  });
  loadNodes(nodes);
  render(<ClusterProcs bridge={fb.bridge} />);
  return fb;
}
const table = () => screen.getByRole('table', { name: 'Cluster processes' });
const names = () => within(table()).getAllByRole('row').map((r) => r.getAttribute('aria-label')).filter(Boolean);
const cells = (name: string) => within(screen.getByRole('row', { name })).getAllByRole('cell').map((c) => c.textContent);
const header = (name: string) => screen.getByRole('columnheader', { name });

beforeEach(() => {
  clusterActions.reset();
  openWindow.mockClear();
  document.title = 'Mosixview';
});
afterEach(cleanup);

describe('the cluster processes window', () => {
  it('lists every process of the nodes that answered, with the job columns; names the nodes that did not, and why', async () => {
    setup();
    await screen.findByRole('row', { name: 'Job 1.600' });
    expect(document.title).toBe('Cluster processes');
    expect(names()).toEqual(['Process 1 on node 1', 'Process 500 on node 1', 'Process 501 on node 1', 'Process 1 on node 3', 'Job 1.600']);
    for (const h of ['Node', 'PID', 'User', 'State', 'CPU %', 'Memory', 'Nice', 'Command', 'Home', 'Runs on', 'Migrations', 'Can move']) expect(header(h)).toBeTruthy();
    expect(cells('Job 1.600')).toEqual(['3', '77', 'alice', 'R', '99.0', '1 MB', '0', '/usr/bin/crunch -n 5', '1', 'node 3', '2', 'yes']);
    expect(cells('Process 501 on node 1')).toEqual(['1', '501', 'bob', 'S', '3.0', '1 MB', '0', 'sleep 47120', '', '', '', '']);
    expect(screen.getByRole('status', { name: 'Missing nodes' }).textContent).toBe('Not listed: node 2 (did not answer: node 2 (h2) is not connected: link cut)');
    expect(screen.getByRole('status', { name: 'Process count' }).textContent).toBe('5 processes (1 job) on 2 nodes');
  });

  it('a node that goes down is named with its reason and its rows go; it comes back when it is up again', async () => {
    const fb = setup(lists(), [1, 3]);
    await screen.findByRole('row', { name: 'Job 1.600' });
    expect(screen.queryByRole('status', { name: 'Missing nodes' })).toBeNull();
    act(() => clusterActions.applyView({ id: 3, host: 'node3.lab', status: 'down', reason: 'connection refused' }));
    expect(screen.getByRole('status', { name: 'Missing nodes' }).textContent).toBe('Not listed: node 3 (down: connection refused)');
    expect(screen.queryByRole('row', { name: 'Job 1.600' })).toBeNull();
    const asked = fb.calls('node.procs').length;
    act(() => clusterActions.applyView({ id: 3, host: 'node3.lab', status: 'up' }));
    // Asked at once, not at the next interval.
    await waitFor(() => expect(fb.calls('node.procs').length).toBeGreaterThan(asked), { timeout: 500 });
    await screen.findByRole('row', { name: 'Job 1.600' });
    expect(screen.queryByRole('status', { name: 'Missing nodes' })).toBeNull();
  });

  it('sorts by a column when its header is clicked, the other way round on a second click, and marks the header', async () => {
    setup();
    await screen.findByRole('row', { name: 'Job 1.600' });
    expect(header('Node').getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(header('CPU %')).getByRole('button'));
    expect(header('CPU %').getAttribute('aria-sort')).toBe('descending');
    expect(header('Node').hasAttribute('aria-sort')).toBe(false);
    expect(names().slice(0, 2)).toEqual(['Job 1.600', 'Process 501 on node 1']);
    fireEvent.click(within(header('PID')).getByRole('button'));
    expect(names()).toEqual(['Process 1 on node 1', 'Process 1 on node 3', 'Job 1.600', 'Process 500 on node 1', 'Process 501 on node 1']);
    fireEvent.click(within(header('PID')).getByRole('button'));
    expect(header('PID').getAttribute('aria-sort')).toBe('descending');
    expect(names()[0]).toBe('Process 501 on node 1');
  });

  it('filters by words, user, node and jobs only', async () => {
    setup();
    await screen.findByRole('row', { name: 'Job 1.600' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter processes' }), { target: { value: '47120' } });
    expect(names()).toEqual(['Process 500 on node 1', 'Process 501 on node 1']);
    expect(screen.getByRole('status', { name: 'Process count' }).textContent).toBe('2 shown of 5 processes (1 job) on 2 nodes');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter processes' }), { target: { value: '' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Jobs only' }));
    expect(names()).toEqual(['Job 1.600']);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Jobs only' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'User' }), { target: { value: 'bob' } });
    expect(names()).toEqual(['Process 500 on node 1', 'Process 501 on node 1']);
    fireEvent.change(screen.getByRole('combobox', { name: 'User' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Node' }), { target: { value: '3' } });
    expect(names()).toEqual(['Process 1 on node 3', 'Job 1.600']);
  });

  it('the tree view shows each child under its parent, one level deeper', async () => {
    setup();
    await screen.findByRole('row', { name: 'Job 1.600' });
    expect(screen.getByRole('row', { name: 'Process 501 on node 1' }).hasAttribute('aria-level')).toBe(false);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Tree view' }));
    const level = (name: string) => screen.getByRole('row', { name }).getAttribute('aria-level');
    expect(names()).toEqual(['Process 1 on node 1', 'Process 500 on node 1', 'Process 501 on node 1', 'Process 1 on node 3', 'Job 1.600']);
    expect([level('Process 1 on node 1'), level('Process 500 on node 1'), level('Process 501 on node 1'), level('Job 1.600')]).toEqual(['1', '2', '3', '2']);
  });

  it('double-click or Enter on a row opens the migrator of its process, a job by its identity on the node it runs on', async () => {
    setup();
    fireEvent.doubleClick(await screen.findByRole('row', { name: 'Job 1.600' }));
    expect(openWindow).toHaveBeenLastCalledWith('migrator/3/1.600', 'migrator-3-1.600');
    const row = screen.getByRole('row', { name: 'Process 501 on node 1' });
    fireEvent.click(row);
    expect(row.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(row, { key: 'Enter' });
    expect(openWindow).toHaveBeenLastCalledWith('migrator/1/501', 'migrator-1-501');
    // The arrow keys move the selection; Enter opens the selected one.
    fireEvent.keyDown(row, { key: 'ArrowDown' });
    expect(screen.getByRole('row', { name: 'Process 1 on node 3' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('row', { name: 'Process 1 on node 3' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(openWindow).toHaveBeenLastCalledWith('migrator/3/1', 'migrator-3-1');
  });

  it('an update keeps the selection on its process (a job followed to its new node) and the elements of the rows that stay', async () => {
    let procs = lists();
    const fb = fakeBridge({ 'node.procs': ({ nodeId }) => procs[nodeId] ?? [], 'job.list': ({ nodeId }) => (nodeId === 3 ? [RECORD] : []) });
    loadNodes([1, 3]);
    render(<ClusterProcs bridge={fb.bridge} />);
    fireEvent.click(await screen.findByRole('row', { name: 'Job 1.600' }));
    const init = screen.getByRole('row', { name: 'Process 1 on node 1' });
    const initCell = within(init).getAllByRole('cell')[0];
    // The job comes home to node 1 (PID 4600 there) and a process ends on node 1.
    procs = { 1: [proc({ pid: 1 }), proc({ pid: 4600, ppid: 1, command: 'crunch', args: '/usr/bin/crunch -n 5', user: 'alice', job: ref })], 3: [proc({ pid: 1 })] };
    await fb.emit('job.changed', { nodeId: 1, record: RECORD });
    await waitFor(() => expect(cells('Job 1.600').slice(0, 2)).toEqual(['1', '4600']));
    expect(screen.getByRole('row', { name: 'Job 1.600' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByRole('row', { name: 'Process 500 on node 1' })).toBeNull();
    // A row that stays is the same element (its focus and the scroll stay with it).
    expect(screen.getByRole('row', { name: 'Process 1 on node 1' })).toBe(init);
    expect(within(init).getAllByRole('cell')[0]).toBe(initCell);
  });
  it('a selected job missing from one update (between the nodes\' answers mid-migration) keeps the selection, and its focus when it is back', async () => {
    let procs = lists();
    const fb = fakeBridge({ 'node.procs': ({ nodeId }) => procs[nodeId] ?? [], 'job.list': ({ nodeId }) => (nodeId === 3 ? [RECORD] : []) });
    loadNodes([1, 3]);
    render(<ClusterProcs bridge={fb.bridge} />);
    const job = await screen.findByRole('row', { name: 'Job 1.600' });
    act(() => job.focus());
    expect(job.getAttribute('aria-selected')).toBe('true');
    const full = procs;
    procs = { 1: full[1]!, 3: [proc({ pid: 1 })] };
    await fb.emit('job.changed', { nodeId: 1, record: RECORD });
    await waitFor(() => expect(screen.queryByRole('row', { name: 'Job 1.600' })).toBeNull());
    expect(screen.getAllByRole('row').filter((r) => r.getAttribute('aria-selected') === 'true')).toEqual([]);
    procs = full;
    await fb.emit('job.changed', { nodeId: 1, record: RECORD });
    const back = await screen.findByRole('row', { name: 'Job 1.600' });
    expect(back.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(back);
  });
});

describe('a slow node', () => {
  it('does not hold back the other nodes\' rows: it is named as slow, its rows come with the poll after it answers, and it is not asked again while it has not answered', async () => {
    let answer3: ((p: ProcInfo[]) => void) | undefined;
    const fb = fakeBridge({
      'node.procs': ({ nodeId }) => (nodeId === 3 ? new Promise<ProcInfo[]>((resolve) => (answer3 = resolve)) : lists()[nodeId]!),
      'job.list': ({ nodeId }) => (nodeId === 3 ? [RECORD] : []),
    });
    loadNodes([1, 3]);
    render(<ClusterProcs bridge={fb.bridge} />);
    await screen.findByRole('row', { name: 'Process 501 on node 1' }, { timeout: SLOW_NODE_MS + 1000 });
    expect(screen.getByRole('status', { name: 'Missing nodes' }).textContent).toMatch(/^Not listed: node 3 \(no answer yet: asked \d+\.\d s ago\)$/);
    await waitFor(() => expect(fb.calls('node.procs').filter((r) => r.nodeId === 1).length).toBeGreaterThan(1), { timeout: CLUSTER_PROCS_REFRESH_MS + SLOW_NODE_MS + 1000 });
    expect(fb.calls('node.procs').filter((r) => r.nodeId === 3)).toHaveLength(1);
    answer3!(lists()[3]!);
    await screen.findByRole('row', { name: 'Job 1.600' }, { timeout: CLUSTER_PROCS_REFRESH_MS + SLOW_NODE_MS + 1000 });
    expect(screen.queryByRole('status', { name: 'Missing nodes' })).toBeNull();
  }, 15_000);
});
