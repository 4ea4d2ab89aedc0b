// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { useWindowTitle, windowTitles } from './windowTitle.js';
import { clusterActions, useCluster } from './store/clusterStore.js';
import { fakeBridge, loadNodes } from './components/fakeBridge.test-util.js';
import { windowFeatures } from './windows.js';
import { WINDOW_SIZES } from '../shared/windows.js';
import { MainWindow } from './routes/main/MainWindow.js';
import { NodeWindow } from './routes/node/NodeWindow.js';
import { ProcessBox } from './routes/procs/ProcessBox.js';
import { RemoteProcs } from './routes/remote/RemoteProcs.js';
import { AdvancedExecution } from './routes/exec/AdvancedExecution.js';
import { Migrator } from './routes/migrator/Migrator.js';
import type { ProcStatus } from '../shared/protocol/apiJobs.js';
import type { JobRecord } from '../shared/jobs/job.js';
import type { ProcInfo } from '../shared/domain/process.js';

beforeEach(() => {
  clusterActions.reset();
  document.title = 'Mosixview';
});
afterEach(cleanup);

function Titled({ title }: { title: string }) {
  useWindowTitle(title);
  return null;
}

describe('window titles', () => {
  it('the hook sets the title and follows it when it changes', () => {
    const r = render(<Titled title="Process box: node 2" />);
    expect(document.title).toBe('Process box: node 2');
    r.rerender(<Titled title="Process box: node 3" />);
    expect(document.title).toBe('Process box: node 3');
  });

  it('says what each window shows', () => {
    expect(windowTitles.main('test-a070')).toBe('Mosixview: test-a070');
    expect(windowTitles.main(undefined)).toBe('Mosixview');
    expect(windowTitles.node(3, 'mvnode3')).toBe('Node 3: mvnode3 — configuration');
    expect(windowTitles.node(3, undefined)).toBe('Node 3 — configuration');
    expect(windowTitles.migrator('job 1.76', 3)).toBe('Migrator: job 1.76 on node 3');
    expect(windowTitles.migrator('process 4321', undefined)).toBe('Migrator: process 4321');
    expect(windowTitles.exec(1)).toBe('Advanced execution: node 1');
  });

  it('the main window is titled with the cluster once it is known', async () => {
    const fb = fakeBridge({ 'history.collector': () => new Promise(() => undefined) });
    render(<MainWindow bridge={fb.bridge} />);
    expect(document.title).toBe('Mosixview');
    act(() => clusterActions.applySnapshot({ name: 'test-a070', source: 'profile', nodes: [], hostKeyPrompts: [] }));
    expect(document.title).toBe('Mosixview: test-a070');
  });

  it('the configuration window names its node and host; "all" says all nodes', () => {
    const fb = fakeBridge({ 'balance.state': () => new Promise(() => undefined) });
    loadNodes([1, 3]);
    act(() => clusterActions.applyView({ ...useCluster.getState().nodes[3]!, sample: { hostname: 'mvnode3' } as never }));
    const r = render(<NodeWindow which={3} bridge={fb.bridge} />);
    expect(document.title).toBe('Node 3: mvnode3 — configuration');
    r.rerender(<NodeWindow which="all" bridge={fb.bridge} />);
    expect(document.title).toBe('All nodes — configuration');
  });

  it('the process box, remote processes and advanced execution name their node', () => {
    const never = () => new Promise<never>(() => undefined);
    const fb = fakeBridge({ 'node.procs': never, 'job.list': never, 'node.guests': never });
    loadNodes([1, 2, 3]);
    const r = render(<ProcessBox nodeId={2} bridge={fb.bridge} />);
    expect(document.title).toBe('Process box: node 2');
    r.rerender(<RemoteProcs nodeId={3} bridge={fb.bridge} />);
    expect(document.title).toBe('Remote processes: node 3');
    r.rerender(<AdvancedExecution bridge={fb.bridge} initialNode={1} />);
    expect(document.title).toBe('Advanced execution: node 1');
  });

  it('the migrator names its job and the node it runs on, and follows it when it moves', async () => {
    const ref = { home: 1, id: 76 };
    const proc: ProcInfo = { pid: 4321, ppid: 1, user: 'alice', command: 'sleep', args: '/bin/sleep 300', state: 'S', cpu: 0, rssKb: 900, nice: 0, where: 0, job: ref };
    const job: JobRecord = { ref, argv: ['/bin/sleep', '300'], cwd: '/tmp', mode: { kind: 'plain' }, dir: '/j', startedAt: 1, state: 'running', where: 0, pid: 4321, locked: false, migrations: 0 };
    let status: ProcStatus = { nodeId: 1, proc: undefined as never, job: undefined, reasons: [] };
    const fb = fakeBridge({ 'job.status': () => status });
    loadNodes([1, 2, 3]);
    render(<Migrator nodeId={1} which="4321" bridge={fb.bridge} />);
    expect(document.title).toBe('Migrator: process 4321');
    status = { nodeId: 1, proc, job, reasons: [] };
    fb.emit('job.changed', { nodeId: 1, record: job });
    await waitFor(() => expect(document.title).toBe('Migrator: job 1.76 on node 1'));
    status = { nodeId: 3, proc: { ...proc, pid: 77 }, job: { ...job, migrations: 1 }, reasons: [] };
    fb.emit('job.changed', { nodeId: 1, record: { ...job, state: 'away', where: 3 } });
    await waitFor(() => expect(document.title).toBe('Migrator: job 1.76 on node 3'));
    status = { nodeId: 3, proc: undefined as never, job: { ...job, state: 'exited' as never, exitStatus: 0 }, reasons: [] };
    fb.emit('job.changed', { nodeId: 1, record: job });
    await waitFor(() => expect(document.title).toBe('Migrator: job 1.76'));
  });

  it('a window opens at its own size', () => {
    expect(windowFeatures('migrator/1/1.76')).toBe(`popup,width=${WINDOW_SIZES.migrator.width},height=${WINDOW_SIZES.migrator.height}`);
    expect(windowFeatures('node/all')).toBe(`popup,width=${WINDOW_SIZES.allNodes.width},height=${WINDOW_SIZES.allNodes.height}`);
  });
});
