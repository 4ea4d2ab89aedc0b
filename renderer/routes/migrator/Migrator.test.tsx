// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import type { ProcStatus } from '../../../shared/protocol/apiJobs.js';
import { RpcError, errorBody } from '../../../shared/protocol/rpc.js';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { PreloadBridge } from '../../../shared/protocol/preloadBridge.js';
import { bridgeOverPreload } from '../../bridge/preloadBridge.js';
import { clusterActions } from '../../store/clusterStore.js';
import { fakeBridge, loadNodes, type Handlers } from '../../components/fakeBridge.test-util.js';
import { Migrator, parseTarget } from './Migrator.js';

const ref = { home: 1, id: 4321 };
const proc: ProcInfo = { pid: 4321, ppid: 1, user: 'alice', command: 'sleep', args: '/bin/sleep 300', state: 'S', cpu: 0, rssKb: 900, nice: 0, where: 0, job: ref };
const job: JobRecord = {
  ref, argv: ['/bin/sleep', '300'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/j', startedAt: 1, state: 'running', where: 0, pid: 4321,
  locked: false, migrations: 2, lastMigration: { from: 3, to: 1, freezeMs: 180, bytes: 5 * 1048576, at: 5 },
};
const jobStatus: ProcStatus = { nodeId: 1, proc, job, reasons: [] };

/** The bridge as Electron's window has it: the main process's replies, as data, through the preload. */
function overPreload(b: MosixviewBridge): MosixviewBridge {
  const preload: PreloadBridge = {
    invoke: (channel, req) => b.invoke(channel, req as never).then((value) => ({ ok: true, value }), (e: unknown) => ({ ok: false, error: errorBody(e) })),
    on: b.on,
  };
  return bridgeOverPreload(preload);
}

function setup(over: Handlers = {}, status: () => ProcStatus = () => jobStatus, wrap = (b: MosixviewBridge) => b) {
  const fb = fakeBridge({
    'job.status': status,
    'job.migrate': () => ({ ...job, state: 'away', where: 3 }),
    'job.signal': () => null,
    'job.renice': () => null,
    'job.lock': (r) => ({ ...job, locked: r.locked }),
    ...over,
  });
  loadNodes([1, 2, 3, 4]);
  render(<Migrator nodeId={1} which="4321" bridge={wrap(fb.bridge)} />);
  return fb;
}

beforeEach(() => clusterActions.reset());
afterEach(cleanup);

describe('Migrator', () => {
  it('reads its target from the route: a PID, or a job as HOME.ID', () => {
    expect(parseTarget(2, '4321')).toEqual({ nodeId: 2, pid: 4321 });
    expect(parseTarget(2, '1.600')).toEqual({ nodeId: 2, ref: { home: 1, id: 600 } });
  });

  it('lists every node as "Migrate to node N" and shows the live status', async () => {
    setup();
    expect(screen.getAllByRole('button', { name: /^Migrate to node \d+$/ }).map((b) => b.getAttribute('aria-label'))).toEqual([1, 2, 3, 4].map((n) => `Migrate to node ${n}`));
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    expect(screen.getByRole('button', { name: 'Migrate to node 1' }).getAttribute('aria-current')).toBe('true');
    expect(screen.getByLabelText('Home node').textContent).toBe('node 1');
    expect(screen.getByLabelText('Migrations').textContent).toBe('2');
    expect(screen.getByLabelText('Last migration').textContent).toBe('node 3 to node 1: frozen 180 ms, 5.0 MB moved');
    expect(screen.getByLabelText('Why it cannot move').textContent).toBe('yes');
    for (const name of ['Home', 'Best', 'Kill', 'SIGSTOP', 'SIGCONT']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect((screen.getByRole('slider', { name: 'Nice' }) as HTMLInputElement).min).toBe('-20');
  });

  it('a click on a node migrates there, by job identity; a double-click migrates once', async () => {
    let finish!: () => void;
    const fb = setup({ 'job.migrate': () => new Promise((r) => (finish = () => r({ ...job, state: 'away', where: 3 }))) });
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    fireEvent.click(screen.getByRole('button', { name: 'Migrate to node 3' }));
    fireEvent.click(screen.getByRole('button', { name: 'Migrate to node 3' }));
    fireEvent.doubleClick(screen.getByRole('button', { name: 'Migrate to node 3' }));
    expect(fb.calls('job.migrate')).toEqual([{ nodeId: 1, ref, to: 3 }]);
    expect(screen.getByRole('status', { name: 'Action in progress' }).textContent).toBe('Migrating to node 3 ...');
    await act(async () => finish());
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Migrating to node 3: done'));
    // Later requests follow the job to node 3.
    await waitFor(() => expect(fb.calls('job.status').at(-1)).toEqual({ nodeId: 3, ref }));
  });

  it('Home, Best, Kill, SIGSTOP and SIGCONT send what they say', async () => {
    const fb = setup();
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    const click = async (name: string) => {
      fireEvent.click(screen.getByRole('button', { name }));
      await waitFor(() => expect(screen.queryByRole('status', { name: 'Action in progress' })).toBeNull());
    };
    await click('Home');
    await click('Best');
    expect(fb.calls('job.migrate').map((r) => r.to)).toEqual(['home', 'best']);
    await click('Kill');
    await click('SIGSTOP');
    await click('SIGCONT');
    expect(fb.calls('job.signal').map((r) => r.signal)).toEqual(['KILL', 'STOP', 'CONT']);
    expect(fb.calls('job.signal')[0]).toMatchObject({ ref });
  });

  it('the Nice slider renices once the hand rests', async () => {
    const fb = setup();
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    const slider = screen.getByRole('slider', { name: 'Nice' });
    fireEvent.change(slider, { target: { value: '7' } });
    fireEvent.change(slider, { target: { value: '12' } });
    expect(screen.getByLabelText('Nice value').textContent?.trim()).toBe('12');
    await waitFor(() => expect(fb.calls('job.renice')).toEqual([{ nodeId: 1, ref, nice: 12 }]));
  });

  it('lock and unlock a job', async () => {
    const fb = setup();
    const box = await screen.findByRole('checkbox', { name: /Locked/ });
    fireEvent.click(box);
    await waitFor(() => expect(fb.calls('job.lock')).toEqual([{ nodeId: 1, ref, locked: true }]));
  });

  it('tells the error of the last action in words', async () => {
    setup({ 'job.migrate': () => Promise.reject(new RpcError('ENOTSUP', 'node 3 blocks guest processes (mosctl block)')) });
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    fireEvent.click(screen.getByRole('button', { name: 'Migrate to node 3' }));
    expect((await screen.findByRole('alert', { name: 'Last action' })).textContent).toBe('Migrating to node 3 failed: node 3 blocks guest processes (mosctl block)');
  });

  it('a process that is not a job says why it cannot move, and stays addressed by PID', async () => {
    const plain: ProcStatus = { nodeId: 1, proc: { ...proc, job: undefined, pid: 77 }, reasons: ['not started with mosrun: only mosrun jobs can migrate'] };
    const fb = setup({}, () => plain);
    await waitFor(() => expect(screen.getByLabelText('Why it cannot move').textContent).toBe('not started with mosrun: only mosrun jobs can migrate'));
    expect(screen.queryByRole('checkbox', { name: /Locked/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'SIGSTOP' }));
    await waitFor(() => expect(fb.calls('job.signal')).toEqual([{ nodeId: 1, pid: 4321, signal: 'STOP' }]));
  });

  it('says so when the process has ended, and disables the actions', async () => {
    setup({}, () => ({ nodeId: 1, job: { ...job, state: 'killed', pid: undefined }, reasons: [] }));
    expect((await screen.findByRole('status', { name: 'Process ended' })).textContent).toBe('The job has ended: it was killed.');
    expect((screen.getByRole('button', { name: 'Kill' }) as HTMLButtonElement).disabled).toBe(true);
    // The node list does not invite a click that can only fail.
    const nodes = screen.getByRole('region', { name: 'Nodes' });
    expect(within(nodes).queryByText(/Click/)).toBeNull();
    expect(within(nodes).getByText('No node can take it now: the job has ended.')).toBeTruthy();
  });

  it('after Kill it no longer "runs here": the node list and the status agree that it ended', async () => {
    let killed = false;
    setup({ 'job.signal': () => ((killed = true), null) }, () => (killed ? { nodeId: 1, job: { ...job, state: 'killed', pid: undefined }, reasons: [] } : jobStatus));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Migrate to node 1' }).textContent).toContain('(runs here)'));
    fireEvent.click(screen.getByRole('button', { name: 'Kill' }));
    await screen.findByRole('status', { name: 'Process ended' });
    expect(screen.getByRole('button', { name: 'Migrate to node 1' }).textContent).not.toContain('runs here');
    expect(screen.getByRole('button', { name: 'Migrate to node 1' }).getAttribute('aria-current')).toBeNull();
    expect(screen.getByLabelText('Runs on').textContent).toBe('-');
  });

  it('a job that runs but is not in the node\'s process list yet is not "not running: running"', async () => {
    setup({}, () => ({ nodeId: 1, job, reasons: [] }));
    await waitFor(() => expect(screen.getByLabelText('State').textContent).toBe('running'));
    expect(screen.queryByRole('status', { name: 'Process ended' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Kill' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('a program that could not run says so, with the shell\'s words', async () => {
    const failed: JobRecord = { ...job, argv: ['/no/such'], state: 'exited', pid: undefined, exitStatus: 127, startError: '/no/such: not found' };
    setup({}, () => ({ nodeId: 1, job: failed, reasons: [] }));
    expect((await screen.findByRole('status', { name: 'Process ended' })).textContent).toBe(
      'The job could not run its program: could not run /no/such (exit status 127, command not found): /no/such: not found.',
    );
  });

  it('a process that cannot move: every node, Home and Best are disabled with the first reason; signals still work', async () => {
    const reasons = ['not started with mosrun: only mosrun jobs can migrate'];
    const fb = setup({}, () => ({ nodeId: 1, proc: { ...proc, job: undefined }, reasons }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Home' }).title).toBe(`cannot move: ${reasons[0]}`));
    for (const name of ['Home', 'Best', 'Migrate to node 2', 'Migrate to node 3']) {
      const b = screen.getByRole('button', { name }) as HTMLButtonElement;
      expect(b.disabled, name).toBe(true);
      expect(b.title, name).toBe(`cannot move: ${reasons[0]}`);
    }
    for (const name of ['Kill', 'SIGSTOP', 'SIGCONT']) expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled, name).toBe(false);
    // Said once, under the nodes it cannot go to, instead of "click a node".
    const nodes = screen.getByRole('region', { name: 'Nodes' });
    expect(within(nodes).getByRole('paragraph', { name: 'Cannot move' }).textContent).toBe(`It cannot move: ${reasons[0]}.`);
    expect(within(nodes).queryByText(/Click/)).toBeNull();
    expect(screen.getAllByText(/It cannot move/)).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'SIGSTOP' }));
    await waitFor(() => expect(fb.calls('job.signal')).toHaveLength(1));
  });

  it('a locked job: the nodes are off with the reason, and the lock can be undone', async () => {
    const reasons = ['it is locked: unlock it first (migrator or "migrate PID unlock")'];
    const fb = setup({}, () => ({ ...jobStatus, job: { ...job, locked: true }, reasons }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Migrate to node 3' }).title).toBe(`cannot move: ${reasons[0]}`));
    const box = screen.getByRole('checkbox', { name: /Locked/ }) as HTMLInputElement;
    expect(box.disabled).toBe(false);
    fireEvent.click(box);
    await waitFor(() => expect(fb.calls('job.lock')).toEqual([{ nodeId: 1, ref, locked: false }]));
  });

  it('the node it runs on is no target', async () => {
    setup();
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    const here = screen.getByRole('button', { name: 'Migrate to node 1' }) as HTMLButtonElement;
    expect(here.disabled).toBe(true);
    expect(here.title).toBe('it runs on node 1 already');
  });

  it('a node that is down or still connecting is no target: its button says why', async () => {
    setup();
    act(() => clusterActions.applySnapshot({
      name: 'lab', source: 'profile', hostKeyPrompts: [],
      nodes: [1, 2, 3, 4].map((id) => ({ id, host: `node${id}.lab`, status: id === 2 ? 'down' : id === 4 ? 'connecting' : 'up', ...(id === 2 ? { reason: 'link cut' } : {}) })),
    }));
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    const b = (n: number) => screen.getByRole('button', { name: `Migrate to node ${n}` }) as HTMLButtonElement;
    expect([b(2).disabled, b(2).title]).toEqual([true, 'node 2 is down: link cut']);
    expect([b(4).disabled, b(4).title]).toEqual([true, 'node 4 is not connected yet']);
    expect([b(3).disabled, b(3).title]).toEqual([false, '']);
  });

  it('Home on a job already home, Best on the best node: said calmly, as information', async () => {
    setup({ 'job.migrate': (r) => Promise.reject(new RpcError('EALREADY', `job 1.4321 already runs on node 1${r.to === 'best' ? ' (it is the best node now)' : ''}`)) });
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    fireEvent.click(screen.getByRole('button', { name: 'Home' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Sending it home: nothing to do, job 1.4321 already runs on node 1'));
    fireEvent.click(screen.getByRole('button', { name: 'Best' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Migrating to the best node: nothing to do, job 1.4321 already runs on node 1 (it is the best node now)'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('in Electron too (replies through the preload): Home on a job at home is information, by its code', async () => {
    setup({ 'job.migrate': () => Promise.reject(new RpcError('EALREADY', 'job 1.4321 already runs on node 1')) }, undefined, overPreload);
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    fireEvent.click(screen.getByRole('button', { name: 'Home' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Sending it home: nothing to do, job 1.4321 already runs on node 1'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('the words alone do not make it information: the same text with another code is a failure', async () => {
    setup({ 'job.migrate': () => Promise.reject(new RpcError('EMIGRATE', 'job 1.4321 already runs on node 1')) }, undefined, overPreload);
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    fireEvent.click(screen.getByRole('button', { name: 'Home' }));
    expect((await screen.findByRole('alert', { name: 'Last action' })).textContent).toBe('Sending it home failed: job 1.4321 already runs on node 1');
  });

  it('a job on a node that went down: where it was, that the node is unreachable, and what to do', async () => {
    const away: JobRecord = { ...job, state: 'away', where: 3, pid: undefined };
    const fb = setup({ 'job.forget': () => null }, () => ({ nodeId: 3, job: away, reasons: [], unreachable: { node: 3, why: 'node 3 (node3.lab) is down: no route to host' } }));
    const said = await screen.findByRole('status', { name: 'Unreachable' });
    expect(said.textContent).toBe(
      'Job 1.4321 runs on node 3, which cannot be reached: node 3 (node3.lab) is down: no route to host. Wait for node 3 to come back (the job goes on there if only the connection was lost), or forget the job if node 3 is gone for good.',
    );
    expect(screen.getByLabelText('Runs on').textContent).toBe('node 3 (unreachable)');
    // Its nice is not known here: the display does not make one up.
    expect(screen.getByLabelText('Nice value').textContent!.trim()).toBe('-');
    expect(screen.getByLabelText('PID').textContent).toBe('-');
    // Its command, from its record: nothing on node 3 can be asked.
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Migrator: job 1.4321 /bin/sleep 300');
    for (const name of ['Home', 'Kill', 'Migrate to node 2']) expect((screen.getByRole('button', { name }) as HTMLButtonElement).title, name).toBe('node 3 cannot be reached');
    fireEvent.click(screen.getByRole('button', { name: 'Forget job' }));
    await waitFor(() => expect(fb.calls('job.forget')).toEqual([{ nodeId: 1, ref }]));
    expect((await screen.findByRole('status', { name: 'Last action' })).textContent).toBe('Forget job 1.4321: done');
  });

  it('a job in the middle of a move shows as moving, and every control is disabled with the reason', async () => {
    const frozen: JobRecord = { ...job, state: 'frozen', frozenBy: 'checkpoint', moving: { id: '1.4321-1-5', from: 1, to: 3 }, pendingCommit: { to: 3, id: '1.4321-1-5' } };
    setup({}, () => ({ ...jobStatus, proc: { ...proc, state: 'T' }, job: frozen }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Moving' }).textContent).toMatch(/handed to node 3, which has not confirmed it yet: frozen here until node 3 answers/));
    for (const name of ['Home', 'Best', 'Kill', 'SIGSTOP', 'SIGCONT', 'Migrate to node 2']) {
      const b = screen.getByRole('button', { name }) as HTMLButtonElement;
      expect(b.disabled, name).toBe(true);
      expect(b.title, name).toMatch(/being moved/);
    }
    expect((screen.getByRole('slider', { name: 'Nice' }) as HTMLInputElement).disabled).toBe(true);
  });

  it('shows a migration of its job as it happens: the way, the phase, the memory sent and the freeze when done', async () => {
    const fb = setup();
    await waitFor(() => expect(screen.getByLabelText('Runs on').textContent).toBe('node 1'));
    const MiB = 1024 * 1024;
    const at = { ref, from: 1, to: 3, at: 1 };
    fb.emit('job.progress', { nodeId: 1, progress: { ...at, phase: 'checking', path: 'one dump', why: "node 1's kernel does not track dirty pages (CONFIG_MEM_SOFT_DIRTY), so the job stays frozen while its memory is copied" } });
    expect(screen.getByRole('status', { name: 'Migration progress' }).textContent).toMatch(/checking node 3: one dump/);
    fb.emit('job.progress', { nodeId: 1, progress: { ...at, phase: 'dumping', bytes: 40 * MiB, totalBytes: 100 * MiB, bytesPerS: 20 * MiB } });
    expect(screen.getByRole('status', { name: 'Migration progress' }).textContent).toBe('frozen, dumping: memory to node 3 40 of 100 MiB at 20 MiB/s');
    expect((screen.getByRole('progressbar', { name: 'Memory sent' }) as HTMLProgressElement).value).toBeCloseTo(0.4);
    // Another job's progress is not this one's.
    fb.emit('job.progress', { nodeId: 1, progress: { ...at, ref: { home: 1, id: 9 }, phase: 'restoring' } });
    expect(screen.getByRole('status', { name: 'Migration progress' }).textContent).toMatch(/^frozen, dumping/);
    fb.emit('job.progress', { nodeId: 1, progress: { ...at, phase: 'done', freezeMs: 812 } });
    expect(screen.getByRole('status', { name: 'Migration progress' }).textContent).toBe('moved to node 3, frozen 812 ms');
    expect(screen.queryByRole('progressbar', { name: 'Memory sent' })).toBeNull();
  });
});
