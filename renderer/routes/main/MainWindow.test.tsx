// @vitest-environment jsdom
/** The main window's rows: map order, one row re-rendered per update, Autorefresh, the efficiency bar. */
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { clusterEfficiency } from '../../../shared/loadFigures.js';
import { useCluster } from '../../store/clusterStore.js';
import { MAP_ORDER, freshStoreEachTest, renderCluster, row, rowMessage, upView } from './mainWindow.test-util.js';

const lampRenders = vi.hoisted(() => new Map<number, number>());
vi.mock('../../components/Lamp.js', async (importOriginal) => (await import('./lampCounter.test-util.js')).countingLamp(await importOriginal(), lampRenders));

freshStoreEachTest(lampRenders);

describe('MainWindow', () => {
  it('shows 100 nodes in map order with accessible controls', async () => {
    await renderCluster();
    const hostButtons = screen.getAllByRole('button', { name: /^Node \d+$/ });
    expect(hostButtons.map((b) => b.getAttribute('aria-label'))).toEqual(MAP_ORDER.map((id) => `Node ${id}`));

    const r = within(row(3));
    expect(r.getByRole('button', { name: 'Node 3' }).textContent).toBe('node3.cluster');
    expect(r.getByRole('img', { name: 'Node 3 up' })).toBeTruthy();
    const slider = r.getByRole('slider', { name: 'Speed of node 3' }) as HTMLInputElement;
    expect(slider.value).toBe('10000');
    expect(r.getByRole('progressbar', { name: 'Load of node 3' }).getAttribute('aria-valuenow')).toBe('25');
    expect(r.getByRole('progressbar', { name: 'Memory of node 3' }).getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByRole('checkbox', { name: 'Autorefresh' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'nslookup' })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Load-balancing efficiency' }).getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByLabelText('CPUs of all nodes').textContent).toBe('400');
  });

  it('one node’s new view re-renders only that node’s row', async () => {
    const { emit } = await renderCluster();
    expect(lampRenders.size).toBe(100);
    const before = new Map(lampRenders);

    // A busier node 50: also changes the efficiency and the main window's footer.
    emit('cluster.views', { views: [upView(50, 2, { load: 4, cpus: 8 })] });
    expect(within(row(50)).getByRole('progressbar', { name: 'Load of node 50' }).getAttribute('aria-valuenow')).toBe('50');

    const rerendered = MAP_ORDER.filter((id) => lampRenders.get(id) !== before.get(id));
    expect(rerendered).toEqual([50]);
    expect(lampRenders.get(50)).toBe(before.get(50)! + 1);
    expect(screen.getByLabelText('CPUs of all nodes').textContent).toBe('404');

    // And a second node, unrelated to the first.
    emit('cluster.views', { views: [{ id: 7, host: 'node7.cluster', status: 'down', reason: 'link cut' }] });
    expect(MAP_ORDER.filter((id) => lampRenders.get(id) !== before.get(id))).toEqual([50, 7]);
    expect(within(row(7)).getByRole('img', { name: 'Node 7 down' }).getAttribute('title')).toBe('link cut');
    expect(rowMessage(7)!.textContent).toBe('link cut');
  });

  it('ignores views of unknown nodes', async () => {
    const { emit } = await renderCluster([upView(1), upView(2)]);
    const before = new Map(lampRenders);
    emit('cluster.views', { views: [upView(3, 5)] });
    expect(screen.queryByRole('row', { name: 'Node 3 row' })).toBeNull();
    expect(lampRenders).toEqual(before);
  });

  it('with Autorefresh unchecked, new views are not applied; checking it refreshes', async () => {
    const { emit, invoke } = await renderCluster([upView(1), upView(2)]);
    const auto = screen.getByRole('checkbox', { name: 'Autorefresh' }) as HTMLInputElement;
    expect(auto.checked).toBe(true);
    fireEvent.click(auto);
    expect(auto.checked).toBe(false);

    emit('cluster.views', { views: [{ id: 2, host: 'node2.cluster', status: 'down', reason: 'gone' }] });
    expect(within(row(2)).getByRole('img', { name: 'Node 2 up' })).toBeTruthy();
    expect(useCluster.getState().nodes[2]!.status).toBe('up');
    expect(invoke).not.toHaveBeenCalledWith('cluster.refresh', null);

    fireEvent.click(auto);
    expect(auto.checked).toBe(true);
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('cluster.refresh', null));
    emit('cluster.views', { views: [{ id: 2, host: 'node2.cluster', status: 'down', reason: 'gone' }] });
    expect(within(row(2)).getByRole('img', { name: 'Node 2 down' })).toBeTruthy();
  });

  it('an idle cluster reads 100% balanced, noisy loads and all', async () => {
    // Idle nodes of a busy machine: a fraction of a task each (4 CPUs per node here).
    const noisy = [0.9, 0.1, 3.2, 0.4, 0, 2.5, 0.7, 1.1, 0.05, 3.9];
    await renderCluster(MAP_ORDER.slice(0, 10).map((id, i) => upView(id, 1, { load: noisy[i]! })));
    const bar = screen.getByRole('progressbar', { name: 'Load-balancing efficiency' });
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('100% balanced');
  });

  it('the efficiency bar follows clusterEfficiency', async () => {
    const { emit } = await renderCluster(MAP_ORDER.slice(0, 10).map((id) => upView(id)));
    const bar = () => screen.getByRole('progressbar', { name: 'Load-balancing efficiency' });
    const expected = () => String(Math.round(clusterEfficiency(Object.values(useCluster.getState().nodes))!));
    expect(bar().getAttribute('aria-valuenow')).toBe('100');

    const [a, b, c] = MAP_ORDER as [number, number, number];
    emit('cluster.views', { views: [upView(a, 2, { load: 8 })] });
    // 8 tasks on node a's 4 CPUs, one on each of the 9 others: 13 of the 17 tasks have a CPU.
    expect(bar().getAttribute('aria-valuenow')).toBe('76');
    expect(bar().getAttribute('aria-valuenow')).toBe(expected());

    emit('cluster.views', { views: [upView(b, 2, { load: 2, speed: 20000 })] });
    expect(bar().getAttribute('aria-valuenow')).toBe(expected());

    emit('cluster.views', { views: [{ id: c, host: 'x', status: 'down', reason: 'off' }] });
    expect(bar().getAttribute('aria-valuenow')).toBe(expected());
    expect(bar().getAttribute('aria-valuetext')).toBe(`${expected()}% balanced`);

    for (const id of MAP_ORDER.slice(0, 10)) emit('cluster.views', { views: [{ id, host: 'x', status: 'down', reason: 'off' }] });
    expect(bar().getAttribute('aria-valuenow')).toBeNull();
    expect(bar().getAttribute('aria-valuetext')).toBe('no node up');
  });
});
