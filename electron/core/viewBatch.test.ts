/** Node views gathered into one cluster.views event per tick: what a tick carries, and when ticks run. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeView } from '../../shared/domain/node.js';
import { STATUS_TICK_MS, tickedViews, ViewBatch, type TickedViews } from './viewBatch.js';

const up = (id: number, load: number, t = 1): NodeView => ({ id, host: `n${id}`, status: 'up', sample: { t, hostname: `n${id}`, cpus: 4, demand: load, load, util: 0, mem: { totalKb: 8, freeKb: 2, availableKb: 4 }, speed: 10000, procCount: 1 } });

afterEach(() => vi.useRealTimers());

/** Nodes 1..n sent once as up (their first views go out after STATUS_TICK_MS): what follows are figures only. */
function sentUp(t: TickedViews, n: number, sent: unknown[], statusTickMs = STATUS_TICK_MS): void {
  for (let id = 1; id <= n; id++) t.add(up(id, 0));
  vi.advanceTimersByTime(statusTickMs);
  sent.length = 0;
}

describe('ViewBatch', () => {
  it('a take carries the latest view of each node that reported, in the order they first reported', () => {
    const b = new ViewBatch();
    b.add(up(3, 1));
    b.add(up(1, 1));
    b.add(up(3, 2));
    expect(b.take()).toEqual([up(3, 2), up(1, 1)]);
    expect(b.take()).toEqual([]);
  });

  it('add says whether the batch was empty (the caller asks for one tick per batch)', () => {
    const b = new ViewBatch();
    expect(b.add(up(1, 1))).toBe(true);
    expect(b.add(up(2, 1))).toBe(false);
    b.take();
    expect(b.add(up(2, 2))).toBe(true);
  });

  it('a view equal to the one its node last sent is not sent again; a changed one is', () => {
    const b = new ViewBatch();
    b.add(up(1, 1));
    b.add(up(2, 1));
    b.take();
    b.add(up(1, 1)); // the same again (e.g. re-emitted after a host-key answer)
    b.add(up(2, 5));
    expect(b.take()).toEqual([up(2, 5)]);
    b.add({ id: 1, host: 'n1', status: 'down', reason: 'link cut' });
    b.add(up(1, 1)); // down and back within one tick: nothing changed for the window
    expect(b.take()).toEqual([]);
  });
});

describe('tickedViews', () => {
  it('emits one event per tick with every node that reported in it, the first a tick after the first view', () => {
    vi.useFakeTimers();
    const sent: NodeView[][] = [];
    const t = tickedViews((views) => sent.push(views), 250);
    sentUp(t, 128, sent);
    for (let id = 1; id <= 128; id++) t.add(up(id, id));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(249);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.map((v) => v.id)).toEqual(Array.from({ length: 128 }, (_, i) => i + 1));
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(1); // nothing new: no empty events
    t.add(up(7, 9));
    vi.advanceTimersByTime(250);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual([up(7, 9)]);
  });

  it('by default, a second of 128 nodes each reporting at its own moment is one event, no row later than a second', () => {
    vi.useFakeTimers();
    const sent: { at: number; ids: number[] }[] = [];
    const t = tickedViews((views) => sent.push({ at: Date.now(), ids: views.map((v) => v.id) }));
    sentUp(t, 128, sent);
    const start = Date.now();
    // Node i reports at 4 + 7.8 * (i - 1) ms into each second (1000 / 128 apart).
    for (let second = 0; second < 3; second++) {
      for (let id = 1; id <= 128; id++) {
        vi.advanceTimersByTime(start + second * 1000 + Math.round(((id - 0.5) * 1000) / 128) - Date.now());
        t.add(up(id, id + second));
      }
      vi.advanceTimersByTime(start + (second + 1) * 1000 - Date.now());
    }
    vi.advanceTimersByTime(1000);
    expect(sent.map((s) => s.ids.length)).toEqual([128, 128, 128]);
    // Node 1 reported first in each second: it waited the longest, one tick.
    expect(sent.map((s) => s.at - start)).toEqual([1004, 2004, 3004]);
  });

  it('a tick in which only unchanged views came emits nothing', () => {
    vi.useFakeTimers();
    const sent: NodeView[][] = [];
    const t = tickedViews((views) => sent.push(views), 250);
    t.add(up(1, 1));
    vi.advanceTimersByTime(STATUS_TICK_MS);
    t.add(up(1, 1));
    vi.advanceTimersByTime(250);
    expect(sent).toEqual([[up(1, 1)]]);
  });

  it('stop drops the waiting tick: nothing is emitted after it', () => {
    vi.useFakeTimers();
    const sent: NodeView[][] = [];
    const t = tickedViews((views) => sent.push(views), 250);
    t.add(up(1, 1));
    t.stop();
    t.add(up(2, 1)); // a session's last word as it stops
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([]);
  });

  it('a node whose status changes goes out STATUS_TICK_MS after, with the figures waiting in the same batch', () => {
    vi.useFakeTimers();
    const sent: NodeView[][] = [];
    const t = tickedViews((views) => sent.push(views), 1000);
    sentUp(t, 3, sent);
    t.add(up(1, 5)); // a figure: waits for the tick
    vi.advanceTimersByTime(300);
    expect(sent).toEqual([]);
    const down: NodeView = { id: 2, host: 'n2', status: 'down', reason: 'link cut' };
    t.add(down);
    vi.advanceTimersByTime(STATUS_TICK_MS - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([[up(1, 5), down]]);
    // The tick after that is a whole one again, for figures.
    t.add(up(3, 7));
    vi.advanceTimersByTime(999);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent[1]).toEqual([up(3, 7)]);
  });

  it('nodes coming up one after another during start-up are each shown within STATUS_TICK_MS, not a tick later', () => {
    vi.useFakeTimers();
    const sent: { at: number; ids: number[] }[] = [];
    const t = tickedViews((views) => sent.push({ at: Date.now(), ids: views.map((v) => v.id) }), 1000);
    const start = Date.now();
    for (let id = 1; id <= 4; id++) t.add({ id, host: `n${id}`, status: 'connecting' });
    vi.advanceTimersByTime(STATUS_TICK_MS);
    for (let id = 1; id <= 4; id++) {
      vi.advanceTimersByTime(200);
      t.add(up(id, 1));
    }
    vi.advanceTimersByTime(STATUS_TICK_MS);
    expect(sent.map((s) => [s.at - start, s.ids])).toEqual([
      [STATUS_TICK_MS, [1, 2, 3, 4]],
      [STATUS_TICK_MS + 200 + STATUS_TICK_MS, [1]],
      [STATUS_TICK_MS + 400 + STATUS_TICK_MS, [2]],
      [STATUS_TICK_MS + 600 + STATUS_TICK_MS, [3]],
      [STATUS_TICK_MS + 800 + STATUS_TICK_MS, [4]],
    ]);
  });

  it('a status change does not put off a tick that is due sooner', () => {
    vi.useFakeTimers();
    const sent: { at: number; ids: number[] }[] = [];
    const t = tickedViews((views) => sent.push({ at: Date.now(), ids: views.map((v) => v.id) }), 100, 80);
    sentUp(t, 2, sent, 80);
    const start = Date.now();
    t.add(up(1, 3));
    vi.advanceTimersByTime(60);
    t.add({ id: 2, host: 'n2', status: 'down', reason: 'gone' });
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([{ at: start + 100, ids: [1, 2] }]);
  });
});
