// @vitest-environment jsdom
/**
 * The migration monitor with a stand-in main process: nodes as groups holding their jobs,
 * the keyboard's way to move a job (select it, then a node), a refusal in the agent's
 * words, and a move that lands logged with by whom.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { RpcError } from '../../../shared/protocol/rpc.js';
import { fakeBridge, loadNodes } from '../../components/fakeBridge.test-util.js';
import { clusterActions } from '../../store/clusterStore.js';
import { MigrationMonitor } from './MigrationMonitor.js';

function rec(home: number, id: number, part: Partial<JobRecord> = {}): JobRecord {
  return { ref: { home, id }, argv: ['/bin/sleep', '99'], cwd: '/s', mode: { kind: 'plain' }, dir: '/s/j', startedAt: 1, state: 'running', where: 0, locked: false, migrations: 0, ...part };
}

afterEach(cleanup);
beforeEach(() => {
  act(() => clusterActions.applySnapshot({ name: 'lab', source: 'profile', nodes: [], hostKeyPrompts: [] }));
});

function setup(refuse?: RpcError) {
  const lists: Record<number, JobRecord[]> = { 1: [rec(1, 5), rec(1, 7)], 2: [], 3: [rec(3, 2, { locked: true })] };
  const fb = fakeBridge({
    'job.list': ({ nodeId }) => lists[nodeId] ?? [],
    'job.migrate': (req) => {
      if (refuse) throw refuse;
      if (!('ref' in req)) throw new Error('the monitor moves jobs by their identity');
      const { ref, to } = req;
      const key = `${ref.home}.${ref.id}`;
      for (const id of Object.keys(lists)) lists[Number(id)] = lists[Number(id)]!.filter((r) => `${r.ref.home}.${r.ref.id}` !== key);
      const moved = rec(ref.home, ref.id, { migrations: 1, lastMigration: { from: 1, to: to as number, freezeMs: 120, bytes: 1, at: 5, by: 'admin' } });
      lists[to as number]!.push(moved);
      return { ...moved, where: to as number, state: 'away' };
    },
  });
  loadNodes([1, 2, 3]);
  render(<MigrationMonitor bridge={fb.bridge} />);
  return fb;
}

const node = (id: number) => screen.getByRole('group', { name: `Node ${id}` });

describe('the migration monitor', () => {
  it('draws each node as a group holding a button per job that runs there', async () => {
    setup();
    await waitFor(() => expect(within(node(1)).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Job 1.5', 'Job 1.7']));
    expect(within(node(2)).queryAllByRole('button')).toEqual([]);
    // A locked job is told by a bar across its dot, not by its colour alone.
    expect(within(node(3)).getByRole('button', { name: 'Job 3.2' }).querySelector('.job-lock-bar')).not.toBeNull();
    expect(within(node(1)).getByRole('button', { name: 'Job 1.5' }).querySelector('.job-lock-bar')).toBeNull();
    expect(screen.getByRole('log', { name: 'Migrations' }).children).toHaveLength(0);
  });

  it('keyboard: Enter on a job, then Enter on a node, migrates it there through job.migrate, and the log says by whom', async () => {
    const fb = setup();
    const job = await screen.findByRole('button', { name: 'Job 1.5' });
    fireEvent.keyDown(job, { key: 'Enter' });
    expect(job.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('status', { name: 'Selected job' }).textContent).toMatch(/^Job 1\.5 selected/);
    // Enter on the job did not reach its node: nothing moved yet.
    expect(fb.calls('job.migrate')).toEqual([]);
    fireEvent.keyDown(node(2), { key: 'Enter' });
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Migrating job 1.5 to node 2: done'));
    expect(fb.calls('job.migrate')).toEqual([{ nodeId: 1, ref: { home: 1, id: 5 }, to: 2 }]);
    await waitFor(() => expect(within(node(2)).getByRole('button', { name: 'Job 1.5' })).toBeTruthy());
    expect(within(node(1)).queryByRole('button', { name: 'Job 1.5' })).toBeNull();
    const log = screen.getByRole('log', { name: 'Migrations' });
    await waitFor(() => expect(log.textContent).toContain('Job 1.5: node 1 to node 2, frozen 120 ms, by the admin'));
    expect(log.children).toHaveLength(1);
  });

  it('a refused move says why, in the agent\'s words; the job stays where it is', async () => {
    const fb = setup(new RpcError('ECANTMOVE', 'job 1.5 cannot move to node 3: it is locked: unlock it first (migrator or "migrate PID unlock")'));
    fireEvent.keyDown(await screen.findByRole('button', { name: 'Job 1.5' }), { key: 'Enter' });
    fireEvent.keyDown(node(3), { key: ' ' });
    const alert = await screen.findByRole('alert', { name: 'Last action' });
    expect(alert.textContent).toBe('Migrating job 1.5 to node 3 failed: job 1.5 cannot move to node 3: it is locked: unlock it first (migrator or "migrate PID unlock")');
    expect(fb.calls('job.migrate')).toHaveLength(1);
    expect(within(node(1)).getByRole('button', { name: 'Job 1.5' })).toBeTruthy();
  });

  it('a node chosen with no job selected says to select one; a move the balancer made elsewhere is logged as it lands', async () => {
    const fb = setup();
    await screen.findByRole('button', { name: 'Job 3.2' });
    fireEvent.keyDown(node(2), { key: 'Enter' });
    expect(screen.getByRole('alert', { name: 'Last action' }).textContent).toMatch(/^Node 2: select a job first/);
    fb.emit('job.changed', { nodeId: 2, record: rec(3, 2, { migrations: 3, lastMigration: { from: 3, to: 2, freezeMs: 845.6, bytes: 1, at: 9, by: 'balancer' } }) });
    const log = screen.getByRole('log', { name: 'Migrations' });
    expect(log.textContent).toContain('Job 3.2: node 3 to node 2, frozen 846 ms, by the balancer');
    // The same move again (the poll, a later record) is not a second line.
    fb.emit('job.changed', { nodeId: 2, record: rec(3, 2, { migrations: 3, locked: true, lastMigration: { from: 3, to: 2, freezeMs: 845.6, bytes: 1, at: 9, by: 'balancer' } }) });
    expect(log.children).toHaveLength(1);
  });
});
