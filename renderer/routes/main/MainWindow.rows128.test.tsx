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
/** The alert banner is a plain (unmemoised) child of the window: it renders exactly when the window does. */
const windowRenders = vi.hoisted(() => ({ n: 0 }));
vi.mock('./AlertBanner.js', () => ({ AlertBanner: () => { windowRenders.n++; return null; } }));

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

/**
 * The browser's IntersectionObserver, as rowInSight.ts uses it (jsdom has none): the test says what is in sight.
 * rowInSight.ts makes one observer for the page's life, so its callback is kept across tests.
 */
const observed: { callback?: IntersectionObserverCallback; rows: Element[] } = { rows: [] };
function stubObserver() {
  observed.rows = [];
  vi.stubGlobal('IntersectionObserver', class {
    constructor(cb: IntersectionObserverCallback) { observed.callback = cb; }
    observe(el: Element) { observed.rows.push(el); }
    unobserve() {}
    disconnect() {}
  });
  return observed;
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

  it('disk and network rates that move within their shown figures re-render no row; a figure that changes, that row once', async () => {
    const { emit, frame, commits } = await renderWindow();
    const io = (id: number, extra: number) => ({ diskReadBps: 0, diskWriteBps: id * 1024, netRxBps: 45 * 1024 + extra, netTxBps: 12 * 1024 });
    const withIo = (id: number, extra: number) => upView(id, 2, { ...view(id, 2).sample!, io: io(id, extra) });
    const disk = (id: number) => within(row(id)).getByRole('group', { name: `Disk read/write of node ${id}` });
    expect([disk(31).textContent, disk(31).title]).toEqual(['D -', 'Disk of node 31: not measured']);
    emit('cluster.views', { views: IDS.map((id) => withIo(id, 0)) });
    frame();
    const before = new Map(lampRenders);
    const commitsBefore = commits();

    // Every node received a few bytes more than last second: still "45k" each; node 31 received 2k more.
    emit('cluster.views', { views: IDS.map((id) => withIo(id, id === 31 ? 2048 : 100)) });
    frame();

    expect(changedRows(before)).toEqual([31]);
    expect(lampRenders.get(31)).toBe(before.get(31)! + 1);
    expect(commits() - commitsBefore).toBe(1);
    expect(within(row(31)).getByRole('group', { name: 'Network receive/send of node 31' }).textContent).toBe('N 47k/12k');
    expect(within(row(32)).getByRole('group', { name: 'Network receive/send of node 32' }).textContent).toBe('N 45k/12k');
    expect(disk(31).textContent).toBe('D 0/31k');
    expect(disk(31).title).toMatch(/^Disk of node 31: 0 B\/s read, 31 kB\/s written \(whole disks of the machine/);
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

  it('a row out of sight re-renders on no round; once in sight again, once, with the latest figures', async () => {
    const seen = stubObserver();
    // A second that is not node 100's own (rowFigures.ts: out of sight, a row is told on its second of every 5).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000_003_000);
    const { emit, frame } = await renderWindow();
    expect(seen.rows).toHaveLength(128);
    const sight = (id: number, inSight: boolean) => act(() => seen.callback!([{ target: row(id), isIntersecting: inSight } as unknown as IntersectionObserverEntry], {} as IntersectionObserver));
    sight(100, false);
    const before = new Map(lampRenders);

    emit('cluster.views', { views: IDS.map((id) => view(id, 2, 7)) });
    frame();
    emit('cluster.views', { views: IDS.map((id) => view(id, 3, 6)) });
    frame();
    expect(lampRenders.get(100)).toBe(before.get(100));
    expect(lampRenders.get(99)).toBe(before.get(99)! + 2);

    sight(100, true);
    expect(lampRenders.get(100)).toBe(before.get(100)! + 1);
    expect(within(row(100)).getByRole('progressbar', { name: 'Load of node 100' }).getAttribute('aria-valuenow')).toBe('100');
    emit('cluster.views', { views: IDS.map((id) => view(id, 4, 1)) });
    frame();
    expect(within(row(100)).getByRole('progressbar', { name: 'Load of node 100' }).getAttribute('aria-valuenow')).toBe('25');
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('a row out of sight still tells the truth: a new status at once, new figures on its own second of every 5 (a screen reader reads them too)', async () => {
    const seen = stubObserver();
    vi.useFakeTimers({ toFake: ['Date'] });
    const second = (s: number) => vi.setSystemTime(s * 1000 + 400);
    second(1_000_000_003);
    const { emit, frame } = await renderWindow();
    const out = (id: number) => act(() => seen.callback!([{ target: row(id), isIntersecting: false } as unknown as IntersectionObserverEntry], {} as IntersectionObserver));
    out(100);
    out(101);
    const load = (id: number) => within(row(id)).getByRole('progressbar', { name: `Load of node ${id}` }).getAttribute('aria-valuenow');
    const before = load(100);

    // Seconds ...03 and ...04: neither is node 100's (100 % 5 = 0) nor node 101's (1): nothing said yet.
    emit('cluster.views', { views: IDS.map((id) => view(id, 2, 3)) });
    frame();
    second(1_000_000_004);
    emit('cluster.views', { views: IDS.map((id) => view(id, 3, 3.5)) });
    frame();
    expect([load(100), load(101)]).toEqual([before, load(101)]);
    // Node 101 goes down: said at once, whatever the second.
    emit('cluster.views', { views: [{ ...view(101, 4), status: 'down', reason: 'no answer' }] });
    frame();
    expect(within(row(101)).getByRole('img', { name: /^Node 101 down/ })).toBeTruthy();
    // Second ...05 is node 100's: its figures of that second.
    second(1_000_000_005);
    emit('cluster.views', { views: IDS.map((id) => view(id, 5, 2)) });
    frame();
    expect(load(100)).toBe('50');
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('a round re-renders the rows and the all-nodes row, not the window around them', async () => {
    const { emit, frame } = await renderWindow();
    const balance = () => screen.getByRole('progressbar', { name: 'Load-balancing efficiency' }).getAttribute('aria-valuenow');
    const [rendersBefore, balanceBefore] = [windowRenders.n, balance()];
    // Half the cluster busy, half idle: the balance changes.
    emit('cluster.views', { views: IDS.map((id) => view(id, 2, id <= 64 ? 8 : 0)) });
    frame();
    expect(windowRenders.n).toBe(rendersBefore);
    expect(balance()).not.toBe(balanceBefore);
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
