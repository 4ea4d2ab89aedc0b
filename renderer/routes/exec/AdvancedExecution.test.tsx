// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { clusterActions } from '../../store/clusterStore.js';
import { fakeBridge, loadNodes } from '../../components/fakeBridge.test-util.js';
import { AdvancedExecution, EXEC_MODES } from './AdvancedExecution.js';

vi.mock('../../windows.js', () => ({ openWindow: vi.fn() }));

const record = (over: Partial<JobRecord>): JobRecord => ({
  ref: { home: 2, id: 77 }, argv: [], cwd: '/tmp', mode: { kind: 'nomig' }, dir: '/j', startedAt: 1, state: 'running', where: 0, pid: 77,
  locked: false, migrations: 0, ...over,
});

/** What the agents say before a start: the home is shared; a job in /tmp could not move. */
const sharing = {
  'node.workdir': () => ({ home: '/home/ann', shared: true }),
  'job.precheck': (r: { cwd: string }) => (r.cwd.startsWith('/tmp')
    ? { reasons: [`its working directory ${r.cwd} is not shared with another node: a marker file written in ${r.cwd} on node 2 is not seen on nodes 1, 4, 7`], sharedWith: [] }
    : { reasons: [], sharedWith: [1, 4, 7] }),
};

function setup(initialNode: number | undefined = 2) {
  const fb = fakeBridge({
    ...sharing,
    'job.start': (r) => (r.mode.kind === 'parallel'
      ? [record({ ref: { home: 2, id: 77 } }), record({ ref: { home: 2, id: 4194305 }, state: 'pending', where: 4, pid: undefined })]
      : [record({ mode: r.mode })]),
    'node.files': (r) => (r.path === '/bin'
      ? { path: '/bin', entries: [{ name: 'sleep', type: 'file', size: 1, executable: true }, { name: 'README', type: 'file', size: 1, executable: false }] }
      : { path: '/', entries: [{ name: 'etc', type: 'dir', size: 0, executable: false }, { name: 'bin', type: 'dir', size: 0, executable: false }] }),
  });
  loadNodes([1, 2, 4, 7]);
  render(<AdvancedExecution bridge={fb.bridge} initialNode={initialNode} />);
  return fb;
}
const type = (name: string, value: string) => fireEvent.change(screen.getByRole('textbox', { name }), { target: { value } });
/** The start node's shared home has become the working directory (node.workdir answered). */
const homeReady = () => waitFor(() => expect((screen.getByRole('textbox', { name: 'Working directory' }) as HTMLInputElement).value).toBe('/home/ann'));
const mode = (label: string) => fireEvent.click(screen.getByRole('radio', { name: label }));

beforeEach(() => clusterActions.reset());
afterEach(cleanup);

describe('AdvancedExecution', () => {
  it('offers the openMosix run modes as radio buttons', () => {
    setup();
    const labels = screen.getAllByRole('radio').map((r) => r.parentElement?.textContent);
    expect(labels).toEqual(EXEC_MODES.map((m) => m.label));
    for (const l of ['no migration', 'run home', 'run on', 'cpu job', 'io job', 'no decay', 'slow decay', 'fast decay', 'parallel']) expect(labels).toContain(l);
  });

  it('starts "no migration" with the arguments as an argv array and shows the job', async () => {
    const fb = setup();
    type('Program', '/bin/sleep');
    type('Arguments', `300 'two words' "\\$HOME"`);
    mode('no migration');
    await homeReady();
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    await waitFor(() => expect(fb.calls('job.start')).toEqual([{ nodeId: 2, argv: ['/bin/sleep', '300', 'two words', '$HOME'], cwd: '/home/ann', mode: { kind: 'nomig' } }]));
    expect((await screen.findByRole('status', { name: 'Result' })).textContent).toBe('job 2.77 started on node 2, PID 77 (running)');
  });

  it('the dial chooses the target node for remote modes; the LCD shows its ID', async () => {
    const fb = setup();
    const dial = screen.getByRole('slider', { name: 'Target node' });
    expect(dial.getAttribute('aria-disabled')).toBe('true');
    mode('run on');
    expect(dial.getAttribute('aria-disabled')).toBeNull();
    expect(dial.getAttribute('aria-valuenow')).toBe('2');
    fireEvent.keyDown(dial, { key: 'ArrowRight' });
    expect(dial.getAttribute('aria-valuenow')).toBe('4');
    expect(screen.getByRole('status', { name: 'Chosen node' }).textContent?.trim()).toBe('4');
    fireEvent.keyDown(dial, { key: 'End' });
    expect(dial.getAttribute('aria-valuenow')).toBe('7');
    fireEvent.keyDown(dial, { key: 'ArrowRight' });
    expect(dial.getAttribute('aria-valuenow')).toBe('7');
    fireEvent.keyDown(dial, { key: 'Home' });
    fireEvent.keyDown(dial, { key: 'ArrowLeft' });
    expect(dial.getAttribute('aria-valuenow')).toBe('1');
    fireEvent.keyDown(dial, { key: 'ArrowUp' });
    type('Program', 'crunch');
    mode('cpu job');
    await homeReady();
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    await waitFor(() => expect(fb.calls('job.start')[0]).toMatchObject({ argv: ['crunch'], mode: { kind: 'cpujob', node: 2 } }));
  });

  it('parallel: first and last node with Invert, one copy per node', async () => {
    const fb = setup();
    mode('parallel');
    fireEvent.change(screen.getByRole('spinbutton', { name: 'First node' }), { target: { value: '2' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Last node' }), { target: { value: '4' } });
    expect(screen.getByLabelText('Parallel targets').textContent).toBe('one copy on nodes 2, 4');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Invert' }));
    expect(screen.getByLabelText('Parallel targets').textContent).toBe('one copy on nodes 1, 7');
    type('Program', '/bin/true');
    await homeReady();
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    await waitFor(() => expect(fb.calls('job.start')[0]).toMatchObject({ mode: { kind: 'parallel', first: 2, last: 4, invert: true } }));
    expect((await screen.findByRole('status', { name: 'Result' })).textContent).toContain('job 2.4194305: to be started on node 4');
  });

  it('refuses an unclosed quote or a missing program before anything starts', async () => {
    const fb = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    expect((await screen.findByRole('alert', { name: 'Result' })).textContent).toMatch(/choose a program first/);
    type('Program', '/bin/echo');
    type('Arguments', `"unclosed`);
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    await waitFor(() => expect(screen.getByRole('alert', { name: 'Result' }).textContent).toMatch(/double quote at position 1 is never closed/));
    expect(fb.calls('job.start')).toEqual([]);
  });

  it("Browse lists the node's folders; a click opens a folder or picks a program", async () => {
    const fb = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Browse' }));
    fireEvent.click(screen.getByRole('textbox', { name: 'Folder' }));
    const bin = await screen.findByRole('button', { name: 'bin/' });
    // Folders first, by name.
    expect(screen.getAllByRole('button', { name: /\/$/ }).map((b) => b.textContent)).toEqual(['bin/', 'etc/']);
    fireEvent.click(bin);
    fireEvent.click(await screen.findByRole('button', { name: 'sleep' }));
    expect((screen.getByRole('textbox', { name: 'Program' }) as HTMLInputElement).value).toBe('/bin/sleep');
    expect(screen.queryByRole('dialog', { name: 'Choose a program' })).toBeNull();
    expect(fb.calls('node.files')).toEqual([{ nodeId: 2, path: '~' }, { nodeId: 2, path: '/bin' }]);
  });

  it('a program that cannot run is reported as such, with its exit status and the shell\'s words, not as started', async () => {
    const fb = fakeBridge({
      ...sharing,
      'job.start': () => [record({ argv: ['/no/such/program'], state: 'exited', pid: undefined, exitStatus: 127, startError: '/no/such/program: not found' })],
    });
    loadNodes([1, 2]);
    render(<AdvancedExecution bridge={fb.bridge} initialNode={2} />);
    type('Program', '/no/such/program');
    await homeReady();
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    expect((await screen.findByRole('alert', { name: 'Result' })).textContent).toBe(
      'Not started: job 2.77 could not run /no/such/program (exit status 127, command not found): /no/such/program: not found',
    );
  });

  it('run on another node says where it runs; a job that ended at once says how', async () => {
    const fb = fakeBridge({
      ...sharing,
      'job.start': (r) => (r.mode.kind === 'runon'
        ? [record({ ref: { home: 2, id: 4194305 }, state: 'away', where: 4, pid: undefined })]
        : [record({ state: 'exited', exitStatus: 0, pid: undefined })]),
    });
    loadNodes([1, 2, 4]);
    render(<AdvancedExecution bridge={fb.bridge} initialNode={2} />);
    type('Program', '/bin/true');
    await homeReady();
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    expect((await screen.findByRole('status', { name: 'Result' })).textContent).toBe('job 2.77 started on node 2 and has already ended (exit status 0)');
    mode('run on');
    fireEvent.keyDown(screen.getByRole('slider', { name: 'Target node' }), { key: 'End' });
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Result' }).textContent).toBe('job 2.4194305 started on node 4 (its home is node 2)'));
  });

  it('the working directory is the home the other nodes share, and "Can it migrate?" says where it could go', async () => {
    const fb = setup();
    await homeReady();
    type('Program', '/bin/sleep');
    const answer = screen.getByRole('status', { name: 'Can it migrate?' });
    await waitFor(() => expect(answer.textContent).toBe('Can it migrate? Yes: nodes 1, 4, 7 see its working directory and program'));
    expect(fb.calls('node.workdir')).toEqual([{ nodeId: 2 }]);
    expect(fb.calls('job.precheck').at(-1)).toEqual({ nodeId: 2, argv: ['/bin/sleep'], cwd: '/home/ann', mode: { kind: 'plain' } });
  });

  it('in a directory no other node sees, it says no and why before Execute', async () => {
    setup();
    await homeReady();
    type('Program', '/bin/sleep');
    type('Working directory', '/tmp/run');
    const answer = screen.getByRole('status', { name: 'Can it migrate?' });
    await waitFor(() => expect(answer.textContent).toBe(
      'Can it migrate? No: its working directory /tmp/run is not shared with another node: a marker file written in /tmp/run on node 2 is not seen on nodes 1, 4, 7',
    ));
    expect(screen.getAllByRole('listitem').map((l) => l.textContent)).toEqual([expect.stringMatching(/^its working directory \/tmp\/run is not shared/)]);
  });

  it('a home the other nodes do not share is not offered: the field stays empty and the hint says what to choose', async () => {
    const fb = fakeBridge({
      'node.workdir': () => ({ home: '/root', shared: false, why: 'a marker file written in /root on node 2 is not seen on nodes 1, 4' }),
      'job.precheck': () => ({ reasons: [], sharedWith: [] }),
      'job.start': () => [record({})],
    });
    loadNodes([1, 2, 4]);
    render(<AdvancedExecution bridge={fb.bridge} initialNode={2} />);
    const hint = await screen.findByText(/not shared with the other nodes/);
    expect(hint.textContent).toBe(
      "Choose a directory every node shares (an NFS home, a cluster file system): node 2's home /root is not shared with the other nodes (a marker file written in /root on node 2 is not seen on nodes 1, 4), so a job started there could never move.",
    );
    expect((screen.getByRole('textbox', { name: 'Working directory' }) as HTMLInputElement).value).toBe('');
    type('Program', '/bin/true');
    fireEvent.click(screen.getByRole('button', { name: 'Execute' }));
    expect((await screen.findByRole('alert', { name: 'Result' })).textContent).toBe('Not started: choose a working directory first: one that every node shares, so the job can move');
    expect(fb.calls('job.start')).toEqual([]);
  });
});
