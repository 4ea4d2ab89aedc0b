import { describe, expect, it } from 'vitest';
import { gossipWindow, Infod, isNewer, mergeEntries, pickPeer, type InfoTable, type OwnFigures } from './infod.js';
import { SETTLE_MS } from './infod.js';
import { seededRng } from './rng.js';
import type { InfoEntry } from '../../shared/balancing/types.js';

function entry(node: number, t: number, seq = 0, over: Partial<InfoEntry> = {}): InfoEntry {
  return { node, load: 1, speed: 10000, cpus: 1, memAvailKb: 1000, memTotalKb: 2000, util: 50, t, seq, ...over };
}
const own: OwnFigures = { load: 0.5, speed: 10000, cpus: 2, memAvailKb: 100, memTotalKb: 200, util: 25 };

describe('merge', () => {
  it('newer by t, then by seq', () => {
    expect(isNewer(entry(2, 10), undefined)).toBe(true);
    expect(isNewer(entry(2, 11), entry(2, 10))).toBe(true);
    expect(isNewer(entry(2, 10, 2), entry(2, 10, 1))).toBe(true);
    expect(isNewer(entry(2, 10, 1), entry(2, 10, 1))).toBe(false);
    expect(isNewer(entry(2, 9, 9), entry(2, 10, 0))).toBe(false);
  });
  it('keeps the newest entry per node, ignores entries about self and malformed ones', () => {
    const table: InfoTable = new Map();
    expect(mergeEntries(table, [entry(2, 10, 0, { load: 1 }), entry(3, 5)], 1, 100)).toBe(2);
    expect(mergeEntries(table, [entry(2, 9, 0, { load: 9 }), entry(3, 6, 0, { load: 3 })], 1, 200)).toBe(1);
    expect(table.get(2)!.entry.load).toBe(1);
    expect(table.get(2)!.heardAt).toBe(100);
    expect(table.get(3)!.entry.load).toBe(3);
    expect(table.get(3)!.heardAt).toBe(200);
    expect(mergeEntries(table, [entry(1, 99), entry(4, 1, 0, { load: NaN }), entry(5, 1, 0, { cpus: 0 })], 1, 300)).toBe(0);
    expect([...table.keys()].sort()).toEqual([2, 3]);
  });
  it('the window holds the most recently heard live entries, without self and recipient', () => {
    const table: InfoTable = new Map();
    for (let n = 2; n <= 30; n++) mergeEntries(table, [entry(n, 1)], 1, n * 10);
    const w = gossipWindow(table, 1, 30, 300, 16, 3000);
    expect(w).toHaveLength(16);
    expect(w.map((e) => e.node)).toEqual([29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14]);
    expect(gossipWindow(table, 1, 30, 3000 + 25 * 10, 16, 3000).map((e) => e.node)).toEqual([29, 28, 27, 26, 25]);
  });
});

describe('peer choice', () => {
  it('is uniform over the others and replays by seed', () => {
    const peers = [1, 2, 3, 4];
    const a = Array.from({ length: 20 }, ((r) => () => pickPeer(peers, 1, r))(seededRng(7)));
    const b = Array.from({ length: 20 }, ((r) => () => pickPeer(peers, 1, r))(seededRng(7)));
    expect(a).toEqual(b);
    expect(a).not.toContain(1);
    expect(new Set(a)).toEqual(new Set([2, 3, 4]));
    const c = Array.from({ length: 20 }, ((r) => () => pickPeer(peers, 1, r))(seededRng(8)));
    expect(c).not.toEqual(a);
    expect(pickPeer([1], 1, seededRng(1))).toBeUndefined();
  });
});

describe('Infod', () => {
  function cluster(n: number, seed = 1) {
    const clock = { now: 0 };
    const nodes = Array.from({ length: n }, (_, i) => new Infod(i + 1, Array.from({ length: n }, (_, k) => k + 1), { clock: () => clock.now, rng: seededRng(seed * 100 + i) }));
    nodes.forEach((d, i) => d.update({ ...own, load: i }));
    const round = () => {
      clock.now += 500;
      for (const d of nodes) {
        const m = d.tick();
        if (m) nodes[m.to - 1]!.receive(m);
      }
    };
    return { clock, nodes, round };
  }

  it('sends its own fresh entry first plus the window to one peer', () => {
    const clock = { now: 1000 };
    const d = new Infod(1, [1, 2, 3], { clock: () => clock.now, rng: seededRng(3) });
    expect(d.tick()).toBeUndefined(); // nothing sampled yet
    d.update(own);
    d.receive({ from: 3, to: 1, entries: [entry(3, 5), entry(2, 7)] });
    const m = d.tick()!;
    expect(m.from).toBe(1);
    expect([2, 3]).toContain(m.to);
    expect(m.entries[0]).toMatchObject({ node: 1, t: 1000, seq: 1, load: 0.5 });
    expect(m.entries.slice(1).map((e) => e.node)).toEqual([m.to === 2 ? 3 : 2]);
    expect(d.tick()!.entries[0]!.seq).toBe(2);
  });

  it('spreads every node to every other by gossip alone', () => {
    const { nodes, round } = cluster(8);
    for (let i = 0; i < 12; i++) round();
    for (const d of nodes) expect(d.view().filter((v) => v.up)).toHaveLength(8);
    const loads = nodes[0]!.view().map((v) => v.load);
    expect(loads).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('marks a node down after silence, and up again when it speaks', () => {
    const { nodes, round } = cluster(4);
    for (let i = 0; i < 10; i++) round();
    nodes[3]!.setQuiet(true);
    for (let i = 0; i < 10; i++) round();
    const v = nodes[0]!.view().find((x) => x.node === 4)!;
    expect(v.up).toBe(false);
    expect(v.ageMs).toBeGreaterThan(3000);
    nodes[3]!.setQuiet(false);
    for (let i = 0; i < 10; i++) round();
    expect(nodes[0]!.view().find((x) => x.node === 4)!.up).toBe(true);
  });

  it('the same seed gives the same exchange', () => {
    const trace = (seed: number) => {
      const { nodes, round } = cluster(5, seed);
      const to: number[] = [];
      for (let i = 0; i < 10; i++) {
        round();
        to.push(...nodes.map((d) => d.view().filter((v) => v.up).length));
      }
      return to;
    };
    expect(trace(4)).toEqual(trace(4));
  });

  it('counts jobs it sent until the target reports a load that shows them, or the settle time ends', () => {
    const clock = { now: 0 };
    const d = new Infod(1, [1, 2], { clock: () => clock.now, rng: seededRng(1) });
    const load2 = () => d.view().find((v) => v.node === 2)!.load;
    d.update(own);
    d.receive({ from: 2, to: 1, entries: [entry(2, 1, 1, { load: 0 })] });
    d.noteMigration(2, 1);
    d.noteMigration(2, 0.5);
    expect(load2()).toBe(1.5);
    // A newer report sampled while the arriving job was still frozen shows nothing yet.
    clock.now = 500;
    d.receive({ from: 2, to: 1, entries: [entry(2, 2, 2, { load: 0 })] });
    expect(load2()).toBe(1.5);
    // One of the two jobs shows: the other still counts.
    d.receive({ from: 2, to: 1, entries: [entry(2, 3, 3, { load: 1 })] });
    expect(load2()).toBe(1.5);
    d.receive({ from: 2, to: 1, entries: [entry(2, 4, 4, { load: 1.5 })] });
    expect(load2()).toBe(1.5);
    // After the settle time only the target's own word counts.
    clock.now = SETTLE_MS + 1;
    d.receive({ from: 2, to: 1, entries: [entry(2, 5, 5, { load: 0.25 })] });
    expect(load2()).toBe(0.25);
  });

  it('a move that failed leaves no load on its target at once (no phantom load)', () => {
    const clock = { now: 0 };
    const d = new Infod(1, [1, 2], { clock: () => clock.now, rng: seededRng(1) });
    const load2 = () => d.view().find((v) => v.node === 2)!.load;
    d.update(own);
    d.receive({ from: 2, to: 1, entries: [entry(2, 1, 1, { load: 0.25 })] });
    d.noteMigration(2, 1);
    d.noteMigration(2, 0.5);
    expect(load2()).toBe(1.75);
    clock.now = 100;
    d.cancelMigration(2, 1);
    expect(load2()).toBe(0.75);
    d.cancelMigration(2, 0.5);
    expect(load2()).toBe(0.25);
    // Cancelling more than was sent, or for a node we sent nothing, changes nothing.
    d.cancelMigration(2, 1);
    d.cancelMigration(3, 1);
    expect(load2()).toBe(0.25);
  });

  it('the reported view gives the nodes\' own figures, jobs in flight not added, rmem carried along', () => {
    const d = new Infod(1, [1, 2], { clock: () => 0, rng: seededRng(1) });
    d.update({ ...own, memFreeKb: 42 });
    d.receive({ from: 2, to: 1, entries: [entry(2, 1, 1, { load: 0.5, memFreeKb: 7 })] });
    d.noteMigration(2, 1);
    expect(d.view().find((v) => v.node === 2)!.load).toBe(1.5);
    const reported = d.view('reported');
    expect(reported.map((v) => [v.node, v.load, v.memFreeKb])).toEqual([[1, own.load, 42], [2, 0.5, 7]]);
    expect(d.receive({ from: 2, to: 1, entries: [entry(2, 2, 2, { memFreeKb: Number.NaN })] })).toBe(0);
  });

  it('carries each node\'s disk and network rates for the collector, and drops an entry whose rates are not figures', () => {
    const io = { diskReadBps: 1, diskWriteBps: 2, netRxBps: 3, netTxBps: 4 };
    const d = new Infod(1, [1, 2], { clock: () => 0, rng: seededRng(1) });
    d.update({ ...own, io });
    d.receive({ from: 2, to: 1, entries: [entry(2, 1, 1, { io: { netRxBps: 45_000, netTxBps: 12_000 } })] });
    expect(d.view('reported').map((v) => [v.node, v.io])).toEqual([[1, io], [2, { netRxBps: 45_000, netTxBps: 12_000 }]]);
    for (const bad of [{ netRxBps: -1 }, { diskReadBps: 'x' }, { netTxBps: Number.POSITIVE_INFINITY }, 7, null]) {
      expect(d.receive({ from: 2, to: 1, entries: [entry(2, 2, 2, { io: bad as never })] })).toBe(0);
    }
  });

  it('carries where each node\'s alert events stand, and drops an entry whose mark is not two whole numbers', () => {
    const d = new Infod(1, [1, 2], { clock: () => 0, rng: seededRng(1) });
    d.update({ ...own, alertLog: { boot: 1700, seq: 4 } });
    expect(d.tick()!.entries[0]!.alertLog).toEqual({ boot: 1700, seq: 4 });
    d.receive({ from: 2, to: 1, entries: [entry(2, 1, 1, { alertLog: { boot: 99, seq: 0 } })] });
    expect(d.view('reported').map((v) => [v.node, v.alertLog])).toEqual([[1, { boot: 1700, seq: 4 }], [2, { boot: 99, seq: 0 }]]);
    for (const bad of [{ boot: 99, seq: -1 }, { boot: 99 }, { boot: 'x', seq: 1 }, { boot: 99, seq: 1.5 }, 7, null]) {
      expect(d.receive({ from: 2, to: 1, entries: [entry(2, 2, 2, { alertLog: bad as never })] })).toBe(0);
    }
  });
});
