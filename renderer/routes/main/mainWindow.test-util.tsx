/** The main window's test stand-ins: node views, a bridge wired to the store as renderer/main.tsx wires it, row lookups. */
import { afterEach, beforeEach, vi } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import type { ClusterSnapshot, HostKeyPrompt } from '../../../shared/protocol/api.js';
import type { NodeSample, NodeView } from '../../../shared/domain/node.js';
import { clusterActions } from '../../store/clusterStore.js';
import { MainWindow } from './MainWindow.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';

/** Each test starts from an empty store (and a cleared render counter) and ends unmounted on real timers. */
export function freshStoreEachTest(renders?: Map<number, number>): void {
  beforeEach(() => {
    clusterActions.reset();
    renders?.clear();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });
}

export function sample(t: number, over: Partial<NodeSample> = {}): NodeSample {
  return {
    t,
    hostname: 'h',
    cpus: 4,
    demand: 1,
    load: 1,
    util: 25,
    mem: { totalKb: 8_000_000, freeKb: 2_000_000, availableKb: 6_000_000 },
    speed: 10000,
    procCount: 50,
    ...over,
  };
}

export function upView(id: number, t = 1, over: Partial<NodeSample> = {}): NodeView {
  return { id, host: `node${id}.cluster`, status: 'up', sample: { ...sample(t, over), hostname: `node${id}` } };
}

/** 1..100 in a scrambled but fixed "map" order. */
export const MAP_ORDER = Array.from({ length: 100 }, (_, i) => ((i + 1) * 37) % 101);

export function snapshotOf(nodes: NodeView[], prompts: HostKeyPrompt[] = []): ClusterSnapshot {
  return { name: 'testcluster', source: 'profile', nodes, hostKeyPrompts: prompts };
}

/** The shared stand-in with the main window's channels, wired to the store as renderer/main.tsx does, but each view applied at once (no frames: store/wireCluster.ts). */
export function clusterBridge(snapshot: ClusterSnapshot) {
  const fb = fakeBridge({ 'cluster.get': () => snapshot, 'cluster.refresh': () => snapshot, 'node.setSpeed': (r) => ({ speed: r.speed }), 'hostKey.answer': () => null, 'hostKey.askAgain': () => null });
  fb.bridge.on('cluster.views', ({ views }) => clusterActions.applyViews(views));
  fb.bridge.on('hostKey.prompt', (p) => clusterActions.addPrompt(p));
  fb.bridge.on('hostKey.resolved', ({ promptId }) => clusterActions.removePrompt(promptId));
  return fb;
}

/** Renders the main window and loads the snapshot, as renderer/main.tsx does with cluster.get. */
export async function renderCluster(nodes: NodeView[] = MAP_ORDER.map((id) => upView(id))) {
  const fb = clusterBridge(snapshotOf(nodes));
  const ui = render(<MainWindow bridge={fb.bridge} />);
  const snap = await fb.bridge.invoke('cluster.get', null);
  act(() => clusterActions.applySnapshot(snap));
  return { ...fb, ui };
}

export function row(id: number): HTMLElement {
  return screen.getByRole('row', { name: `Node ${id} row` });
}

/** The row's message cell (role status when it has something to say; the LCD is an <output>, also a status). */
export function rowMessage(id: number): HTMLElement | undefined {
  return within(row(id))
    .queryAllByRole('status')
    .find((el) => el.tagName === 'TD');
}
