// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ProcHistory, ProcHistoryRequest } from '../../shared/protocol/agentHistory.js';
import type { HistoryProc, NodeProcs } from '../../shared/history/types.js';
import { fakeBridge } from '../components/fakeBridge.test-util.js';
import { REMOTE_ID_BASE } from '../../shared/jobs/job.js';
import { ProcHistoryWindow, indexAt } from './ProcHistoryWindow.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const collector = () => ({ nodeId: 1, status: { host: 'n1', running: true, started: T0, last: T0, dir: '/h', backups: [] } });
const proc = (pid: number, command: string, where = 0): HistoryProc => ({ pid, user: 'bob', command, args: command, state: 'R', cpu: 0, rssKb: 1, where });

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** An agent's history.procs over stored minutes of `lists(t)`, filtered by node as the agent does. */
function historyOf(times: number[], lists: (t: number) => NodeProcs[]) {
  return ({ t, node }: ProcHistoryRequest): ProcHistory => {
    const at = times[indexAt(times, t ?? times[times.length - 1]!)]!;
    const all = lists(at);
    return {
      started: T0, times: [...times],
      at: { t: at, nodes: node === undefined ? all : all.filter((n) => n.id === node) },
      nodes: all.map((n) => ({ id: n.id, host: n.host, procs: n.procs ? n.procs.length : null, ...(n.missing ? { missing: n.missing } : {}) })),
    };
  };
}
const oneNode = (t: number): NodeProcs[] => [{ id: 1, host: 'n1', procs: [proc(1, `cmd-at-${(t - T0) / MIN}`)] }];

const slider = () => screen.getByRole('slider', { name: 'History time' }) as HTMLInputElement;
const settle = () => act(async () => { await vi.advanceTimersByTimeAsync(10); });

describe('process history window', () => {
  it('new minutes join the slider, which follows them while at the newest one, and stays where the admin put it otherwise', async () => {
    vi.useFakeTimers();
    const times = [T0, T0 + MIN];
    render(<ProcHistoryWindow bridge={fakeBridge({ 'history.collector': collector, 'history.procs': historyOf(times, oneNode) }).bridge} />);
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

  it('the Where column follows openMosix: 0 = on that node, N = running on node N, and a job away is marked so', async () => {
    const lists = (): NodeProcs[] => [{
      id: 1, host: 'n1', procs: [proc(1, 'init'), proc(1234, 'crunch', 3), { ...proc(REMOTE_ID_BASE + 1, 'sleep', 2), state: 'M' }],
    }];
    render(<ProcHistoryWindow bridge={fakeBridge({ 'history.collector': collector, 'history.procs': historyOf([T0], lists) }).bridge} />);
    const away = await screen.findByRole('row', { name: 'Process 1234 of node 1, running on node 3' });
    expect(away.className).toContain('proc-migrated');
    expect(within(away).getAllByRole('cell').map((c) => c.textContent).slice(0, 5)).toEqual(['1', '1234', '3', 'bob', 'crunch']);
    expect(screen.getByRole('row', { name: 'Process 1 of node 1' }).className).not.toContain('proc-migrated');
    // A job started on node 2 by runon never had a PID on its home: no made-up number.
    const remote = screen.getByRole('row', { name: 'Job started on another node (no PID on node 1), running on node 2' });
    expect(within(remote).getAllByRole('cell').map((c) => c.textContent).slice(0, 5)).toEqual(['1', '-', '2', 'bob', 'sleep']);
    expect(screen.getByRole('columnheader', { name: 'Where' }).getAttribute('title')).toBe('0 = running on that node, N = running on node N (a job of that node that migrated)');
  });

  it('shows every node with a Node column, or the one chosen (asked of the agent), and says why a node has no list', async () => {
    const lists = (): NodeProcs[] => [
      { id: 1, host: 'n1', procs: [proc(1, 'init')] },
      { id: 2, host: 'n2', procs: [proc(20, 'crunch'), proc(21, 'crunch')] },
      { id: 3, host: 'n3', missing: 'no answer within 4 s' },
    ];
    const fb = fakeBridge({ 'history.collector': collector, 'history.procs': historyOf([T0], lists) });
    render(<ProcHistoryWindow bridge={fb.bridge} />);
    const table = await screen.findByRole('table', { name: /^Processes at \d\d:\d\d:\d\d$/ });
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 3);
    expect(screen.getByRole('columnheader', { name: 'Node' })).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Nodes without a process list' })).getByRole('listitem').textContent)
      .toBe('No process list of node 3 (n3) at this minute: no answer within 4 s');
    const chooser = screen.getByRole('combobox', { name: 'Node' }) as HTMLSelectElement;
    expect([...chooser.options].map((o) => o.text)).toEqual(['All nodes', 'Node 1 (n1): 1 process', 'Node 2 (n2): 2 processes', 'Node 3 (n3): no list']);
    fireEvent.change(chooser, { target: { value: '2' } });
    const two = await screen.findByRole('table', { name: /^Processes at \d\d:\d\d:\d\d on node 2$/ });
    expect(within(two).getAllByRole('row').slice(1).map((r) => r.getAttribute('aria-label'))).toEqual(['Process 20 of node 2', 'Process 21 of node 2']);
    expect(screen.queryByRole('columnheader', { name: 'Node' })).toBeNull();
    expect(screen.queryByRole('list', { name: 'Nodes without a process list' })).toBeNull();
    expect(fb.calls('history.procs').at(-1)).toMatchObject({ node: 2 });
    // The node that did not answer: why, and no empty table in its place.
    fireEvent.change(chooser, { target: { value: '3' } });
    await screen.findByText('No process list of node 3 (n3) at this minute: no answer within 4 s');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('opens at the moment and node of its route: the list in effect then (the last at or before it)', async () => {
    const times = [T0, T0 + MIN, T0 + 2 * MIN];
    const lists = (t: number): NodeProcs[] => [
      { id: 1, host: 'n1', procs: [proc(1, 'init')] },
      { id: 2, host: 'n2', procs: [proc(2, `job-at-${(t - T0) / MIN}`)] },
    ];
    const fb = fakeBridge({ 'history.collector': collector, 'history.procs': historyOf(times, lists) });
    render(<ProcHistoryWindow bridge={fb.bridge} at={{ t: T0 + MIN + 45_000, node: 2 }} />);
    await screen.findByText('job-at-1');
    expect(slider().value).toBe('1');
    expect((screen.getByRole('combobox', { name: 'Node' }) as HTMLSelectElement).value).toBe('2');
    expect(screen.queryByText('init')).toBeNull();
    expect(fb.calls('history.procs').every((r) => r.node === 2)).toBe(true);
  });

  it('indexAt: the last stored minute at or before the time, the first before any', () => {
    expect(indexAt([10, 20, 30], 25)).toBe(1);
    expect(indexAt([10, 20, 30], 30)).toBe(2);
    expect(indexAt([10, 20, 30], 5)).toBe(0);
    expect(indexAt([10, 20, 30], 99)).toBe(2);
  });
});
