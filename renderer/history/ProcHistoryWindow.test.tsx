// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ProcHistory } from '../../shared/protocol/agentHistory.js';
import { fakeBridge } from '../components/fakeBridge.test-util.js';
import { REMOTE_ID_BASE } from '../../shared/jobs/job.js';
import { ProcHistoryWindow } from './ProcHistoryWindow.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function collectorBridge(times: number[]) {
  return fakeBridge({
    'history.collector': () => ({ nodeId: 1, status: { host: 'n1', running: true, started: T0, last: T0, dir: '/h', backups: [] } }),
    'history.procs': ({ t }): ProcHistory => {
      const at = t ?? times[times.length - 1]!;
      return { started: T0, times: [...times], at: { t: at, procs: [{ pid: 1, user: 'root', command: `cmd-at-${(at - T0) / MIN}`, args: '', state: 'S', cpu: 0, rssKb: 1, where: 0 }] } };
    },
  });
}

const slider = () => screen.getByRole('slider', { name: 'History time' }) as HTMLInputElement;
const settle = () => act(async () => { await vi.advanceTimersByTimeAsync(10); });

describe('process history window', () => {
  it('new minutes join the slider, which follows them while at the newest one, and stays where the admin put it otherwise', async () => {
    vi.useFakeTimers();
    const times = [T0, T0 + MIN];
    render(<ProcHistoryWindow bridge={collectorBridge(times).bridge} />);
    await settle();
    expect(slider().max).toBe('1');
    expect(slider().value).toBe('1');
    times.push(T0 + 2 * MIN);
    await act(async () => { await vi.advanceTimersByTimeAsync(20_000); });
    await settle();
    expect(slider().max).toBe('2');
    expect(slider().value).toBe('2');
    await settle();
    expect(screen.getByText('cmd-at-2')).toBeTruthy();
    // The admin looks at the first minute: a new minute does not move the slider away.
    fireEvent.change(slider(), { target: { value: '0' } });
    await settle();
    times.push(T0 + 3 * MIN);
    await act(async () => { await vi.advanceTimersByTimeAsync(20_000); });
    await settle();
    expect(slider().max).toBe('3');
    expect(slider().value).toBe('0');
    expect(screen.getByText('cmd-at-0')).toBeTruthy();
  });

  it('the Where column follows openMosix: 0 = here, N = running on node N, and a job away is marked so', async () => {
    const fb = fakeBridge({
      'history.collector': () => ({ nodeId: 1, status: { host: 'n1', running: true, started: T0, last: T0, dir: '/h', backups: [] } }),
      'history.procs': (): ProcHistory => ({
        started: T0, times: [T0],
        at: { t: T0, procs: [
          { pid: 1, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0, rssKb: 1, where: 0 },
          { pid: 1234, user: 'bob', command: 'crunch', args: '/opt/crunch -n 5', state: 'M', cpu: 0, rssKb: 0, where: 3 },
          { pid: REMOTE_ID_BASE + 1, user: 'bob', command: 'sleep', args: '/bin/sleep 300', state: 'M', cpu: 0, rssKb: 0, where: 2 },
        ] },
      }),
    });
    render(<ProcHistoryWindow bridge={fb.bridge} />);
    const away = await screen.findByRole('row', { name: 'Process 1234, running on node 3' });
    expect(away.className).toContain('proc-migrated');
    expect(within(away).getAllByRole('cell').map((c) => c.textContent).slice(0, 4)).toEqual(['1234', '3', 'bob', 'crunch']);
    expect(screen.getByRole('row', { name: 'Process 1' }).className).not.toContain('proc-migrated');
    // A job started on node 2 by runon never had a PID here: no made-up number.
    const remote = screen.getByRole('row', { name: 'Job started on another node (no PID here), running on node 2' });
    expect(within(remote).getAllByRole('cell').map((c) => c.textContent).slice(0, 4)).toEqual(['-', '2', 'bob', 'sleep']);
    expect(screen.getByRole('columnheader', { name: 'Where' }).getAttribute('title')).toBe('0 = running here, N = running on node N (a job of this node that migrated)');
  });
});
