// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { CollectorStatus } from '../../shared/protocol/agentHistory.js';
import type { CollectorAction, CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { fakeBridge, loadNodes } from '../components/fakeBridge.test-util.js';
import { initialClusterState, useCluster } from '../store/clusterStore.js';
import { HistoryBar } from './HistoryBar.js';

const running: CollectorStatus = { host: 'n1', running: true, pid: 4242, dir: '/h', backups: [] };
const stopped: CollectorStatus = { host: 'n1', running: false, dir: '/h', backups: [] };
const choice = (status: CollectorStatus): CollectorChoice => ({ nodeId: 1, status });
const action = (message: string, status: CollectorStatus): CollectorAction => ({ message, choice: choice(status) });

function bridge(first: CollectorStatus) {
  return fakeBridge({
    'history.collector': () => choice(first),
    'history.startCollector': () => action('mosixcollector started (pid 4242), history in /h/current', running),
    'history.stopCollector': () => action('mosixcollector stopped (pid 4242)', stopped),
    'history.checkpoint': ({ label }) => action(`checkpoint ${JSON.stringify(label)} written at 2026-01-01T10:00:00.000Z`, running),
    'history.rotate': () => action('history saved as mosixview-20260101-100000; a new one started', { ...running, backups: ['mosixview-20260101-100000'] }),
  });
}

const controls = () => screen.getByRole('region', { name: 'History' });
const answer = () => screen.getByRole('status', { name: 'Collector answer' });
const statusText = () => screen.getByRole('status', { name: 'Collector status' }).textContent;

beforeEach(() => {
  useCluster.setState(initialClusterState, true);
  loadNodes([1, 2]);
});
afterEach(cleanup);

describe('collector controls in the main window', () => {
  it('Stop asks first (nothing is recorded while stopped), then stops and shows the agent\'s answer; Start comes back', async () => {
    const fb = bridge(running);
    render(<HistoryBar bridge={fb.bridge} />);
    await waitFor(() => expect(statusText()).toBe('collecting (pid 4242)'));
    expect(within(controls()).queryByRole('button', { name: 'Start collector' })).toBeNull();

    fireEvent.click(within(controls()).getByRole('button', { name: 'Stop collector' }));
    const confirm = screen.getByRole('group', { name: 'Confirm: stop the collector' });
    expect(confirm.textContent).toMatch(/Stop the collector on node 1\? Nothing is recorded until it is started again/);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(fb.calls('history.stopCollector')).toEqual([]);

    fireEvent.click(within(controls()).getByRole('button', { name: 'Stop collector' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'Confirm: stop the collector' })).getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(answer().textContent).toBe('node 1: mosixcollector stopped (pid 4242)'));
    expect(fb.calls('history.stopCollector')).toEqual([null]);
    expect(statusText()).toBe('not running');
    expect(screen.queryByRole('group', { name: 'Confirm: stop the collector' })).toBeNull();
    // Stopped: start it again; checkpoint and rotate need it running.
    expect(within(controls()).queryByRole('button', { name: 'Checkpoint' })).toBeNull();
    expect(within(controls()).queryByRole('button', { name: 'Rotate history' })).toBeNull();
    fireEvent.click(within(controls()).getByRole('button', { name: 'Start collector' }));
    await waitFor(() => expect(answer().textContent).toBe('node 1: mosixcollector started (pid 4242), history in /h/current'));
    expect(statusText()).toBe('collecting (pid 4242)');
  });

  it('Checkpoint takes a note (Enter writes it) and shows where it was written; no question asked, nothing can be lost', async () => {
    const fb = bridge(running);
    render(<HistoryBar bridge={fb.bridge} />);
    fireEvent.click(await within(controls()).findByRole('button', { name: 'Checkpoint' }));
    const note = screen.getByRole('textbox', { name: 'Checkpoint note' }) as HTMLInputElement;
    expect(note.maxLength).toBe(200);
    fireEvent.change(note, { target: { value: 'before the kernel upgrade' } });
    fireEvent.submit(note);
    await waitFor(() => expect(answer().textContent).toBe('node 1: checkpoint "before the kernel upgrade" written at 2026-01-01T10:00:00.000Z'));
    expect(fb.calls('history.checkpoint')).toEqual([{ label: 'before the kernel upgrade' }]);
    expect(screen.queryByRole('textbox', { name: 'Checkpoint note' })).toBeNull();
  });

  it('Rotate asks first, then saves the history as a backup and says its name', async () => {
    const fb = bridge(running);
    render(<HistoryBar bridge={fb.bridge} />);
    fireEvent.click(await within(controls()).findByRole('button', { name: 'Rotate history' }));
    const confirm = screen.getByRole('group', { name: 'Confirm: rotate the history' });
    expect(confirm.textContent).toMatch(/backup.*File menu/);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Rotate' }));
    await waitFor(() => expect(answer().textContent).toBe('node 1: history saved as mosixview-20260101-100000; a new one started'));
    expect(fb.calls('history.rotate')).toEqual([null]);
  });

  it('a refusal is shown as an alert, naming what went wrong', async () => {
    const fb = bridge(running);
    render(<HistoryBar bridge={fb.bridge} />);
    fireEvent.click(await within(controls()).findByRole('button', { name: 'Rotate history' }));
    fb.invoke.mockImplementationOnce(async () => {
      throw new RpcError('EFAIL', 'cannot save the history as a backup in /h (ENOSPC): free some space');
    });
    fireEvent.click(within(screen.getByRole('group', { name: 'Confirm: rotate the history' })).getByRole('button', { name: 'Rotate' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/ENOSPC/));
  });
});
