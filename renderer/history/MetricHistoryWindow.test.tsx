// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { fakeBridge } from '../components/fakeBridge.test-util.js';
import { fakeHistoryAgent } from './fakeHistoryAgent.test-util.js';
import { IO_WINDOW, LOAD_WINDOW, MEM_WINDOW, MetricHistoryWindow } from './MetricHistoryWindow.js';
import { nodeColour } from './chart/chartColours.js';
import { RouteView } from '../Router.js';
import { REFRESH_MS } from './useSeries.js';
import { parseRoute } from '../../shared/windows.js';

const M = 60_000;
const T0 = new Date(2026, 10, 29, 3, 28, 21).getTime();
const LAST = T0 + 40 * M;

/** The canvas as tests see it: the line strokes of the last drawing, with their style (a band's faint bars, a path of vertical strokes only, are not lines). */
let strokes: { colour: string; width: number; alpha: number }[] = [];
/** Per drawing of a chart: whether the per-node table was in the page then. */
let draws: { table: boolean }[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  strokes = [];
  draws = [];
  let vertical = true;
  let lastX = 0;
  const ctx = {
    fillStyle: '', strokeStyle: '', lineWidth: 1, globalAlpha: 1, lineJoin: 'miter',
    setTransform() {}, setLineDash() {}, clearRect() { strokes = []; draws.push({ table: document.querySelector('table.history-nodes') !== null }); }, fillRect() {}, save() {}, restore() {}, rect() {}, clip() {}, beginPath() { vertical = true; }, moveTo(x: number) { lastX = x; }, lineTo(x: number) { if (x !== lastX) vertical = false; lastX = x; }, closePath() {}, fill() {},
    stroke() { if (!(vertical && this.globalAlpha < 1)) strokes.push({ colour: String(this.strokeStyle), width: this.lineWidth, alpha: this.globalAlpha }); },
  };
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ left: 0, top: 0, width: 920, height: 300, right: 920, bottom: 300, x: 0, y: 0, toJSON() {} });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function agentWithData() {
  const agent = fakeHistoryAgent(T0);
  for (let s = 0; s <= 40 * 60; s++) for (const id of [1, 2, 3]) agent.h.seconds.push({ t: T0 + s * 1000, id, load: id === 2 && s > 600 && s < 700 ? 95 : 10 * id, mem: 1_000_000 * id });
  agent.h.checkpoints.push({ t: T0 + 5 * M, label: 'hog-start' });
  const choice: CollectorChoice = { nodeId: 1, status: { host: 'n1', running: true, started: T0, last: LAST, dir: '/h', backups: [] } };
  return fakeBridge({ 'history.collector': () => choice, 'history.series': agent.answer });
}
function open(spec = LOAD_WINDOW) {
  const fb = agentWithData();
  render(<MetricHistoryWindow bridge={fb.bridge} spec={spec} />);
  return fb;
}
// A frame and a task: the per-node table joins after the charts are painted.
const settle = () => act(async () => { await vi.advanceTimersByTimeAsync(20); });
const shown = () => screen.getByRole('status', { name: 'Shown range' }).textContent ?? '';
const lines = () => strokes.filter((s) => [1, 2, 3].map(nodeColour).includes(s.colour));

describe('a metric history window', () => {
  it('shows the alerts raised as marks beside the checkpoints', async () => {
    const fb = agentWithData();
    render(<MetricHistoryWindow bridge={fb.bridge} spec={LOAD_WINDOW} />);
    await settle();
    expect(screen.queryByRole('img', { name: /alert/ })).toBeNull();
    cleanup();
    const agent = fakeHistoryAgent(T0);
    for (let s = 0; s <= 600; s++) agent.h.seconds.push({ t: T0 + s * 1000, id: 1, load: 10, mem: 1_000_000 });
    agent.h.alerts.push({ t: T0 + 3 * M, event: 'raised', rule: 'load', node: 1, text: 'load 95% (above 90%) for more than 60 s' }, { t: T0 + 4 * M, event: 'cleared', rule: 'load', node: 1, text: 'x' });
    const choice: CollectorChoice = { nodeId: 1, status: { host: 'n1', running: true, started: T0, last: T0 + 600_000, dir: '/h', backups: [] } };
    render(<MetricHistoryWindow bridge={fakeBridge({ 'history.collector': () => choice, 'history.series': agent.answer }).bridge} spec={LOAD_WINDOW} />);
    await settle();
    await settle();
    expect(screen.getByRole('img', { name: 'Load: 1 node(s), 0 checkpoint(s), 1 alert(s)' })).toBeTruthy();
    const marks = [...document.querySelectorAll('.alert-mark')];
    expect(marks.map((m) => [m.textContent, m.getAttribute('title'), Number(m.getAttribute('data-t'))])).toEqual([['▲ node 1 load', 'load 95% (above 90%) for more than 60 s', T0 + 3 * M]]);
  });

  it('opens on the recorded range, with round time ticks, and the whole day one click away', async () => {
    open();
    await settle();
    await settle();
    expect(shown()).toMatch(/^2026-11-29 03:28:21 – 04:08:21 \(40 min\)$/);
    expect(screen.getByRole('button', { name: 'Recorded range' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('img', { name: 'Load: 3 node(s), 1 checkpoint(s)' }).dataset.drawnNodes).toBe('3');
    const ticks = [...document.querySelectorAll('.time-tick')].map((e) => e.textContent);
    expect(ticks.slice(0, 3)).toEqual(['03:30', '03:35', '03:40']);
    expect([...document.querySelectorAll('.value-tick')].map((e) => e.textContent)).toEqual(['0', '25', '50', '75', '100']);
    expect(document.querySelector('.checkpoint-label')!.textContent).toBe('hog-start');
    fireEvent.click(screen.getByRole('button', { name: 'Whole day' }));
    await settle();
    expect(shown()).toMatch(/^2026-11-29 03:28:21 – 2026-11-30 03:28:21 \(24 h\)$/);
    expect((screen.getByRole('button', { name: 'Zoom out' }) as HTMLButtonElement).disabled).toBe(true);
    // Zoom in from the whole day goes towards the data, not to the empty middle of the day.
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    await settle();
    expect(shown()).toMatch(/^2026-11-29 03:28:21 – 15:28:21 \(12 h\)$/);
  });

  it('draws the chart once, before the per-node table is laid out, and adds the table after', async () => {
    open();
    await settle();
    await settle();
    expect(draws).toEqual([{ table: false }]);
    expect(screen.getByRole('table', { name: 'Load history per node' })).toBeTruthy();
    expect(screen.getAllByRole('row', { name: /^Node \d history$/ })).toHaveLength(3);
  });

  it('draws the chart again only when a refresh brings something new: a history that does not grow is drawn once', async () => {
    const agent = fakeHistoryAgent(T0);
    for (let s = 0; s <= 40 * 60; s++) agent.h.seconds.push({ t: T0 + s * 1000, id: 1, load: 10 });
    const choice: CollectorChoice = { nodeId: 1, status: { host: 'n1', running: false, started: T0, last: LAST, dir: '/h', backups: [] } };
    const fb = fakeBridge({ 'history.collector': () => choice, 'history.series': agent.answer });
    render(<MetricHistoryWindow bridge={fb.bridge} spec={LOAD_WINDOW} />);
    await settle();
    await settle();
    await act(async () => { await vi.advanceTimersByTimeAsync(3 * REFRESH_MS); });
    expect(fb.calls('history.series').filter((c) => c.since !== undefined)).toHaveLength(3);
    expect(draws).toHaveLength(1);
    agent.h.seconds.push({ t: LAST + 1000, id: 1, load: 90 });
    await act(async () => { await vi.advanceTimersByTimeAsync(REFRESH_MS); });
    await settle();
    expect(draws).toHaveLength(2);
    expect(screen.getByRole('img', { name: 'Load: 1 node(s), 0 checkpoint(s)' }).dataset.draws).toBe('2');
  });

  it('moves a cursor with the keys, reads every node\'s value under it, and zooms around it', async () => {
    open();
    await settle();
    await settle();
    const cursor = screen.getByRole('slider', { name: 'Cursor in Load' });
    act(() => cursor.focus());
    fireEvent.keyDown(cursor, { key: 'Home' });
    for (let i = 0; i < 2; i++) fireEvent.keyDown(cursor, { key: 'ArrowRight', shiftKey: true }); // 2 x 10 columns of 5 s
    const readout = screen.getByRole('list', { name: 'Load at 03:30:01' });
    expect(within(readout).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual(['node 1: 10%', 'node 2: 20%', 'node 3: 30%']);
    expect(screen.getByRole('cell', { name: 'Node 3 at the cursor' }).textContent).toBe('30%');
    fireEvent.keyDown(cursor, { key: '+' });
    await settle();
    // 03:30:01 keeps its place, a twentieth of the way in: 20 min shown around it.
    expect(shown()).toMatch(/^2026-11-29 03:29:11 – 03:49:11 \(20 min\)$/);
  });

  it('highlights a node hovered or chosen in the table: its line wider and on top, the others faded', async () => {
    open();
    await settle();
    await settle();
    const row = screen.getByRole('row', { name: 'Node 2 history' });
    fireEvent.mouseEnter(row);
    expect(lines().at(-1)).toMatchObject({ colour: nodeColour(2), width: 2.5, alpha: 1 });
    expect(lines()[0]!.alpha).toBeLessThan(0.5);
    fireEvent.mouseLeave(screen.getByRole('table', { name: 'Load history per node' }));
    expect(lines().every((l) => l.alpha === 1)).toBe(true);
    // From the keyboard: the node's button in focus highlights as hovering does.
    act(() => within(row).getByRole('button', { name: 'Highlight node 2' }).focus());
    expect(lines().at(-1)).toMatchObject({ colour: nodeColour(2), width: 2.5 });
    act(() => within(row).getByRole('button', { name: 'Highlight node 2' }).blur());
    expect(lines().every((l) => l.alpha === 1)).toBe(true);
    fireEvent.click(within(row).getByRole('button', { name: 'Highlight node 2' }));
    expect(within(row).getByRole('button', { name: 'Highlight node 2' }).getAttribute('aria-pressed')).toBe('true');
    expect(lines().at(-1)).toMatchObject({ colour: nodeColour(2), width: 2.5 });
    // The peak of node 2 is in its level's colours in the table.
    expect(screen.getByRole('cell', { name: 'Peak of node 2' }).className).toBe('level-alert');
  });

  it('draws Memory history\'s three charts the same way, in GB on round ticks', async () => {
    open(MEM_WINDOW);
    await settle();
    await settle();
    for (const name of ['mem: available memory', 'rmem: free memory', 'tmem: total memory']) {
      expect(screen.getByRole('img', { name: `${name}: 3 node(s), 1 checkpoint(s)` }).dataset.drawnNodes).toBe('3');
    }
    const labels = [...document.querySelectorAll('[aria-label="mem: available memory"] .value-tick')].map((e) => e.textContent);
    expect(labels).toEqual(['0 GB', '1 GB', '2 GB', '3 GB']);
    // The caption says what is drawn, not a unit the axis has left behind ("(MB)" over ticks in GB).
    const captions = [...document.querySelectorAll('figcaption')].map((e) => e.textContent);
    expect(captions).toEqual([
      'mem: available memory (MemAvailable of each node)',
      'rmem: free memory (MemFree of each node)',
      'tmem: total memory (MemTotal of each node)',
    ]);
  });

  it('draws the I/O history\'s four charts in rates on round ticks, and says what its table is of', async () => {
    const fb = open(IO_WINDOW);
    await settle();
    await settle();
    expect(fb.calls('history.series')[0]!.metrics).toEqual(['diskRead', 'diskWrite', 'netRx', 'netTx']);
    for (const name of ['Disk read', 'Disk write', 'Network receive', 'Network send']) {
      expect(screen.getByRole('img', { name: `${name}: 3 node(s), 1 checkpoint(s)` }).dataset.drawnNodes).toBe('3');
    }
    // The stand-in answers 1,000,000 B/s x node ID: node 3's 2.86 MB/s is the peak.
    const labels = [...document.querySelectorAll('[aria-label="Network receive"] .value-tick')].map((e) => e.textContent);
    expect(labels).toEqual(['0 MB/s', '1 MB/s', '2 MB/s', '3 MB/s']);
    const table = screen.getByRole('table', { name: 'I/O history per node' });
    expect(within(table).getByText('Average, peak and value at the cursor of Network receive')).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'Average of node 1 value' }).textContent).toBe('977 kB/s');
    expect(screen.getByRole('cell', { name: 'Peak of node 3' }).textContent).toBe('2.9 MB/s');
  });

  it('reads the memory afresh when the route goes from the load to the memory window', async () => {
    const fb = agentWithData();
    const { rerender } = render(<RouteView route={parseRoute('history/load')} bridge={fb.bridge} />);
    await settle();
    await settle();
    rerender(<RouteView route={parseRoute('history/mem')} bridge={fb.bridge} />);
    await settle();
    await settle();
    expect(fb.calls('history.series').at(-1)!.metrics).toEqual(['mem', 'rmem', 'tmem']);
    expect(screen.getByRole('cell', { name: 'Average of node 1 value' }).textContent).not.toBe('-');
  });
});

describe('File, Export', () => {
  const withExport = () => {
    const agent = fakeHistoryAgent(T0);
    for (let s = 0; s <= 40 * 60; s++) for (const id of [1, 2, 3]) if (!(id === 3 && s > 100 && s < 200)) agent.h.seconds.push({ t: T0 + s * 1000, id, load: 10 * id + (s % 7) / 3, mem: 1_000_000 * id });
    const choice: CollectorChoice = { nodeId: 1, status: { host: 'n1', running: true, started: T0, last: LAST, dir: '/h', backups: [] } };
    const fb = fakeBridge({
      'history.collector': () => choice,
      'history.series': agent.answer,
      'history.export': (q) => agent.exportPage(q, 500),
      'history.exportFile': () => ({ path: '/home/admin/history-load.csv', rows: 2401 }),
    });
    render(<MetricHistoryWindow bridge={fb.bridge} spec={LOAD_WINDOW} />);
    return { fb, agent };
  };
  const menuButton = () => screen.getByRole('button', { name: 'File' });
  afterEach(() => {
    delete window.mosixview;
  });

  it('is a menu button: the arrow keys move through its items, Escape closes it and gives the focus back', async () => {
    withExport();
    await settle();
    await settle();
    expect(menuButton().getAttribute('aria-haspopup')).toBe('menu');
    expect(screen.queryByRole('menu')).toBeNull();
    fireEvent.click(menuButton());
    expect(menuButton().getAttribute('aria-expanded')).toBe('true');
    const menu = screen.getByRole('menu', { name: 'File' });
    expect(within(menu).getAllByRole('menuitem').map((m) => [m.textContent, (m as HTMLButtonElement).disabled])).toEqual([
      ['Current history', false], ['No older backups yet', true], ['Export CSV…', false], ['Export JSON…', false],
    ]);
    expect(document.activeElement!.textContent).toBe('Current history');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement!.textContent).toBe('Export CSV…'); // the disabled item is skipped
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement!.textContent).toBe('Export JSON…');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement!.textContent).toBe('Current history');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(menuButton());
  });

  it('in a browser: downloads every second of the table\'s range for the nodes ticked in it, as the agent pages them', async () => {
    const { fb, agent } = withExport();
    await settle();
    await settle();
    // jsdom's Blob cannot be read back: this one keeps the parts it was made of.
    vi.stubGlobal('Blob', class {
      constructor(readonly parts: string[], readonly options: { type: string }) {}
    });
    const blobs: { parts: string[]; options: { type: string } }[] = [];
    URL.createObjectURL = vi.fn((b: never) => (blobs.push(b), 'blob:export'));
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toMatch(/^history-load-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/);
    });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Export node 2' }));
    fireEvent.click(menuButton());
    fireEvent.click(screen.getByRole('menuitem', { name: 'Export CSV…' }));
    await settle();
    expect(clicked).toHaveBeenCalledTimes(1);
    const pages = fb.calls('history.export');
    // The range the chart shows (the recorded one), not its columns, which reach past it for the live history.
    expect(shown()).toMatch(/^2026-11-29 03:28:21 – 04:08:21 \(40 min\)$/);
    expect(agent.answer(fb.calls('history.series').at(-1)!).to).toBeGreaterThan(LAST);
    expect(pages[0]).toEqual({ family: 'load', from: T0, to: LAST, nodes: [1, 3] });
    expect(pages.length).toBe(5); // 2401 seconds, 500 a page
    expect(blobs[0]!.options.type).toBe('text/csv;charset=utf-8');
    const lines = blobs[0]!.parts.join('').trim().split('\n');
    expect(lines[0]).toBe('time (UTC),time (epoch ms),node 1 (node1) load (%),node 3 (node3) load (%)');
    expect(lines.length).toBe(1 + 2401);
    // Exactly the seconds the agent holds: node 3 empty while it was not recorded, never shifted.
    const at = (s: number) => lines[1 + s]!.split(',');
    const want = (id: number, s: number) => agent.h.seconds.find((x) => x.t === T0 + s * 1000 && x.id === id)!.load;
    expect(at(150)).toEqual([new Date(T0 + 150_000).toISOString(), String(T0 + 150_000), String(want(1, 150)), '']);
    expect(at(250)).toEqual([new Date(T0 + 250_000).toISOString(), String(T0 + 250_000), String(want(1, 250)), String(want(3, 250))]);
    expect(screen.getByRole('status', { name: 'Export' }).textContent).toMatch(/^Exported 2401 recorded seconds of 2 nodes as history-load-.*\.csv \(downloaded\)$/);
  });

  it('in the desktop app: the main process saves it where the admin chose', async () => {
    window.mosixview = { invoke: vi.fn(), on: vi.fn() };
    const { fb } = withExport();
    await settle();
    await settle();
    fireEvent.click(menuButton());
    fireEvent.click(screen.getByRole('menuitem', { name: 'Export JSON…' }));
    await settle();
    expect(fb.calls('history.exportFile')).toEqual([{ format: 'json', export: { family: 'load', from: T0, to: LAST, nodes: [1, 2, 3] } }]);
    expect(fb.calls('history.export')).toEqual([]);
    expect(screen.getByRole('status', { name: 'Export' }).textContent).toBe('Saved 2401 recorded seconds of 3 nodes to /home/admin/history-load.csv');
  });

  it('with no node ticked the export items say why they are off', async () => {
    withExport();
    await settle();
    await settle();
    for (const id of [1, 2, 3]) fireEvent.click(screen.getByRole('checkbox', { name: `Export node ${id}` }));
    fireEvent.click(menuButton());
    const csv = screen.getByRole('menuitem', { name: 'Export CSV…' }) as HTMLButtonElement;
    expect(csv.disabled).toBe(true);
    expect(csv.title).toBe('tick at least one node in the table');
  });
});

describe('a moment picked in a history chart', () => {
  it('opens the process history at a moment picked: on a node\'s band that node, off any band every node; Enter and the button from the keyboard', async () => {
    const opened = vi.spyOn(window, 'open').mockReturnValue(null);
    open();
    await settle();
    await settle();
    const plot = screen.getByRole('slider', { name: 'Cursor in Load' });
    const [min, max] = [Number(plot.getAttribute('aria-valuemin')), Number(plot.getAttribute('aria-valuemax'))];
    const route = () => decodeURI(String(opened.mock.calls.at(-1)?.[0])).replace(/^.*#\//, '');
    const click = (x: number, y: number) => {
      fireEvent.mouseDown(plot, { button: 0, clientX: x, clientY: y });
      fireEvent.mouseUp(plot, { button: 0, clientX: x, clientY: y });
    };
    // Half way along, 30 % up a chart whose axis tops at 100 %: node 3's band (30 %).
    const at = Math.round(min + (max - min) / 2);
    click(460, 210);
    expect(opened).toHaveBeenCalledTimes(1);
    expect(opened.mock.calls[0]![1]).toBe('history-procs');
    const [, , , t, node] = route().split('/');
    expect(Math.abs(Number(t) - at)).toBeLessThanOrEqual(1);
    expect(node).toBe('3');
    // At the bottom, far from every band: every node.
    click(460, 299);
    expect(route()).toMatch(/^history\/procs\/current\/\d+$/);
    // A drag is a zoom, not a pick.
    fireEvent.mouseDown(plot, { button: 0, clientX: 100, clientY: 100 });
    fireEvent.mouseMove(plot, { clientX: 300, clientY: 100 });
    fireEvent.mouseUp(plot, { button: 0, clientX: 300, clientY: 100 });
    expect(opened).toHaveBeenCalledTimes(2);
    await settle();
    // Keyboard: the cursor on a moment, node 2 pinned in the table, then Enter; or the toolbar's button.
    fireEvent.mouseLeave(plot);
    const button = screen.getByRole('button', { name: 'Processes at this minute' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Highlight node 2' }));
    const cursor = screen.getByRole('slider', { name: 'Cursor in Load' });
    act(() => cursor.focus());
    fireEvent.keyDown(cursor, { key: 'Home' });
    fireEvent.keyDown(cursor, { key: 'Enter' });
    const home = Number(cursor.getAttribute('aria-valuenow'));
    expect(route()).toBe(`history/procs/current/${Math.round(home)}/2`);
    expect(button.disabled).toBe(false);
    expect(button.title).toMatch(/^The process history at \d\d:\d\d:\d\d on node 2$/);
    fireEvent.click(button);
    expect(opened).toHaveBeenCalledTimes(4);
    expect(route()).toBe(`history/procs/current/${Math.round(home)}/2`);
  });
});
