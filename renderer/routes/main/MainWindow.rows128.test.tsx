// @vitest-environment jsdom
/**
 * The main window at 128 nodes: a round of views (every node's, once a second, in one
 * cluster.views event as the main process's tick sends them) re-renders only the rows whose
 * figures changed, and the window renders once per round, not once per view.
 */
import { Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import type { NodeView } from '../../../shared/domain/node.js';
import type { ClusterMoment } from '../../../shared/protocol/agentHistory.js';
import { clusterActions } from '../../store/clusterStore.js';
import { wireClusterEvents } from '../../store/wireCluster.js';
import { MainWindow } from './MainWindow.js';
import { row, snapshotOf, upView } from './mainWindow.test-util.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';

const lampRenders = vi.hoisted(() => new Map<number, number>());
vi.mock('../../components/Lamp.js', async (importOriginal) => (await import('./lampCounter.test-util.js')).countingLamp(await importOriginal(), lampRenders));

const IDS = Array.from({ length: 128 }, (_, i) => i + 1);
/** Node i's view at second t: load and memory vary by node, not by time. */
const view = (id: number, t: number, load = (id % 9) * 0.5): NodeView => upView(id, t, { load, mem: { totalKb: 8_000_000, freeKb: 1_000_000, availableKb: 1_000_000 + id * 40_000 } });

/** The window as renderer/main.tsx wires it, with frames run by hand; `commits` counts the window's React commits. */
async function renderWindow() {
  const snapshot = snapshotOf(IDS.map((id) => view(id, 1)));
  const fb = fakeBridge({ 'cluster.get': () => snapshot });
  const frames: (() => void)[] = [];
  wireClusterEvents(fb.bridge, (run) => frames.push(run));
  let commits = 0;
  render(<Profiler id="main" onRender={() => commits++}><MainWindow bridge={fb.bridge} /></Profiler>);
  const snap = await fb.bridge.invoke('cluster.get', null);
  act(() => clusterActions.applySnapshot(snap));
  const frame = () => act(() => frames.splice(0).forEach((run) => run()));
  return { ...fb, frame, commits: () => commits };
}

const changedRows = (before: Map<number, number>) => IDS.filter((id) => lampRenders.get(id) !== before.get(id));

beforeEach(() => {
  clusterActions.reset();
  lampRenders.clear();
});
afterEach(cleanup);

describe('the main window at 128 nodes', () => {
  it('a round of 128 views of which 1 changed its figures re-renders exactly that row, once', async () => {
    const { emit, frame, commits } = await renderWindow();
    expect(lampRenders.size).toBe(128);
    const before = new Map(lampRenders);
    const commitsBefore = commits();

    // Every node reports its new second; only node 77's load moved (one task more on its 4 CPUs).
    emit('cluster.views', { views: IDS.map((id) => view(id, 2, id === 77 ? (77 % 9) * 0.5 + 1 : undefined)) });
    frame();

    expect(changedRows(before)).toEqual([77]);
    expect(lampRenders.get(77)).toBe(before.get(77)! + 1);
    expect(commits() - commitsBefore).toBe(1);
    expect(within(row(77)).getByRole('progressbar', { name: 'Load of node 77' }).getAttribute('aria-valuenow')).toBe('88');
  });

  it('a round in which all 128 changed re-renders each row exactly once, in one commit', async () => {
    const { emit, frame, commits } = await renderWindow();
    const before = new Map(lampRenders);
    const commitsBefore = commits();

    emit('cluster.views', { views: IDS.map((id) => view(id, 2, 7)) });
    frame();

    expect(changedRows(before)).toEqual(IDS);
    expect(IDS.filter((id) => lampRenders.get(id) !== before.get(id)! + 1)).toEqual([]);
    expect(commits() - commitsBefore).toBe(1);
    expect(within(row(128)).getByRole('progressbar', { name: 'Load of node 128' }).getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByLabelText('CPUs of all nodes').textContent).toBe(String(128 * 4));
  });

  it('of one node that came in two events in a frame, the later view is shown', async () => {
    const { emit, frame } = await renderWindow();
    emit('cluster.views', { views: [view(5, 2, 1)] });
    emit('cluster.views', { views: [{ id: 5, host: 'node5.cluster', status: 'down', reason: 'link cut' }] });
    frame();
    expect(within(row(5)).getByRole('img', { name: 'Node 5 down' }).getAttribute('title')).toBe('link cut');
  });

  it('replay: the next moment, in which 1 of 128 nodes changed, re-renders exactly that row', async () => {
    await renderWindow();
    const moment = (t: number, busy?: number): ClusterMoment => ({
      t,
      nodes: IDS.map((id) => ({ id, host: `node${id}.cluster`, status: 'up' as const, sample: view(id, t, id === busy ? 4 : undefined).sample! })),
    });
    act(() => clusterActions.enterReplay(moment(1000)));
    const before = new Map(lampRenders);
    act(() => clusterActions.enterReplay(moment(2000, 9)));
    expect(changedRows(before)).toEqual([9]);
    act(() => clusterActions.enterReplay(moment(3000, 9)));
    expect(changedRows(before)).toEqual([9]);
    expect(lampRenders.get(9)).toBe(before.get(9)! + 1);
  });
});
