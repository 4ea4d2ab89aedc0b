import { describe, expect, it } from 'vitest';
import { bestNode, decide, DEFAULT_DECIDE, loadAfterDeparture, ownDecisionLoad, targetCost, type JobCandidate, type PeerState, type SelfState } from './decide.js';
import { NO_FLAGS } from './types.js';

const GB = 1024 * 1024;
function self(over: Partial<SelfState> = {}): SelfState {
  return { id: 1, load: 4, cpus: 1, speed: 10000, memAvailKb: 3 * GB, memTotalKb: 4 * GB, flags: NO_FLAGS, ...over };
}
function peer(node: number, load: number, over: Partial<PeerState> = {}): PeerState {
  return { node, load, cpus: 1, speed: 10000, memAvailKb: 3 * GB, memTotalKb: 4 * GB, ...over };
}
function job(key: string, over: Partial<JobCandidate> = {}): JobCandidate {
  return { key, home: 1, load: 1, mode: 'slowdecay', memKb: 100 * 1024, ...over };
}
const jobs4 = [job('a'), job('b'), job('c'), job('d')];

describe('decision rule', () => {
  it('cost = remote normalised load + margin x job load normalised for the target', () => {
    expect(targetCost(peer(2, 1), 1, 1.25)).toBeCloseTo(2.25);
    expect(targetCost(peer(2, 2, { cpus: 2, speed: 20000 }), 1, 1.25)).toBeCloseTo(0.5 + 0.3125);
  });
  it('no move when balanced', () => {
    const d = decide({ now: 0, self: self({ load: 2 }), peers: [peer(2, 2), peer(3, 2)], jobs: [job('a'), job('b')] });
    expect(d.move).toBe(false);
  });
  it('moves the heaviest job to the idle node', () => {
    const d = decide({ now: 0, self: self(), peers: [peer(2, 2), peer(3, 0), peer(4, 1)], jobs: [job('a', { load: 0.6 }), job('b', { load: 0.9 }), job('c', { load: 0.8 })] });
    expect(d).toMatchObject({ move: true, job: 'b', to: 3, reason: 'load' });
  });
  it('the faster node wins: normalisation divides by speed', () => {
    const d = decide({ now: 0, self: self(), peers: [peer(2, 1), peer(3, 1, { speed: 20000 })], jobs: jobs4 });
    expect(d).toMatchObject({ move: true, to: 3 });
    const tie = decide({ now: 0, self: self(), peers: [peer(2, 0), peer(3, 0, { speed: 20000 })], jobs: jobs4 });
    expect(tie).toMatchObject({ move: true, to: 3 });
  });
  it('more CPUs attract work too', () => {
    const d = decide({ now: 0, self: self(), peers: [peer(2, 1), peer(3, 2, { cpus: 4 })], jobs: jobs4 });
    expect(d).toMatchObject({ move: true, to: 3 });
  });
  it('the margin stops ping-pong between equal nodes', () => {
    // 3 vs 2 on equal nodes: moving would only swap the imbalance.
    expect(decide({ now: 0, self: self({ load: 3 }), peers: [peer(2, 2)], jobs: jobs4.slice(0, 3) }).move).toBe(false);
    // A small, noisy excess does not justify a move either.
    expect(decide({ now: 0, self: self({ load: 2.2 }), peers: [peer(2, 1)], jobs: jobs4.slice(0, 2) }).move).toBe(false);
    // Without margin it would move; with it, not.
    expect(decide({ now: 0, self: self({ load: 2.2 }), peers: [peer(2, 1)], jobs: jobs4.slice(0, 2), options: { margin: 1 } }).move).toBe(true);
    expect(decide({ now: 0, self: self({ load: 3 }), peers: [peer(2, 1)], jobs: jobs4.slice(0, 3) }).move).toBe(true);
  });
  it('uses present demand when lower than the slowly falling exported load', () => {
    expect(ownDecisionLoad({ load: 3, demand: 2 })).toBe(2);
    expect(ownDecisionLoad({ load: 1, demand: 2 })).toBe(1);
    expect(decide({ now: 0, self: self({ load: 2.9, demand: 2 }), peers: [peer(2, 1)], jobs: jobs4.slice(0, 2) }).move).toBe(false);
    expect(loadAfterDeparture(0.5, 1)).toBe(0);
  });
  it('block: the target refuses guests', () => {
    const d = decide({ now: 0, self: self(), peers: [peer(2, 0, { block: true }), peer(3, 2)], jobs: jobs4 });
    expect(d).toMatchObject({ move: true, to: 3 });
    expect(decide({ now: 0, self: self(), peers: [peer(2, 0, { block: true })], jobs: jobs4 }).move).toBe(false);
  });
  it('down nodes are no targets', () => {
    expect(decide({ now: 0, self: self(), peers: [peer(2, 0, { up: false })], jobs: jobs4 }).move).toBe(false);
  });
  it('stay: no automatic migration out; quiet: no part in balancing', () => {
    expect(decide({ now: 0, self: self({ flags: { ...NO_FLAGS, stay: true } }), peers: [peer(2, 0)], jobs: jobs4 })).toMatchObject({ move: false, why: expect.stringContaining('stay') });
    expect(decide({ now: 0, self: self({ flags: { ...NO_FLAGS, quiet: true } }), peers: [peer(2, 0)], jobs: jobs4 })).toMatchObject({ move: false, why: expect.stringContaining('quiet') });
  });
  it('lstay: local jobs stay, guests may leave', () => {
    const flags = { ...NO_FLAGS, lstay: true };
    expect(decide({ now: 0, self: self({ flags }), peers: [peer(2, 0)], jobs: jobs4 }).move).toBe(false);
    const guest = job('g', { home: 3, load: 0.5 });
    expect(decide({ now: 0, self: self({ flags }), peers: [peer(2, 0)], jobs: [...jobs4, guest] })).toMatchObject({ move: true, job: 'g' });
  });
  it('skips locked, unmovable, iojob and statistics-less jobs', () => {
    const js = [job('l', { locked: true, load: 3 }), job('c', { cantMove: 'uses shared memory', load: 3 }), job('io', { mode: 'iojob', load: 3 }), job('new', { load: 0 }), job('ok', { load: 0.4 })];
    expect(decide({ now: 0, self: self(), peers: [peer(2, 0)], jobs: js })).toMatchObject({ move: true, job: 'ok' });
    expect(decide({ now: 0, self: self(), peers: [peer(2, 0)], jobs: js.slice(0, 4) }).move).toBe(false);
  });
  it('one decision per job per interval', () => {
    const js = [job('a', { lastDecisionAt: 9000 }), job('b', { lastDecisionAt: 9500, load: 0.5 })];
    expect(decide({ now: 10000, self: self(), peers: [peer(2, 0)], jobs: js }).move).toBe(false);
    expect(decide({ now: 11000, self: self(), peers: [peer(2, 0)], jobs: js })).toMatchObject({ move: true, job: 'a' });
    expect(decide({ now: 11400, self: self(), peers: [peer(2, 0)], jobs: js, options: { jobIntervalMs: 5000 } }).move).toBe(false);
  });
  it('memory ushering: a node short of memory pushes its biggest job to the roomiest node', () => {
    const short = self({ load: 1, memAvailKb: 0.05 * 4 * GB });
    const js = [job('small', { memKb: 10 * 1024 }), job('big', { memKb: 500 * 1024 })];
    const peers = [peer(2, 0, { memAvailKb: 1 * GB }), peer(3, 3, { memAvailKb: 3.5 * GB }), peer(4, 0, { memAvailKb: 3.9 * GB, block: true })];
    expect(decide({ now: 0, self: short, peers, jobs: js })).toMatchObject({ move: true, job: 'big', to: 3, reason: 'memory' });
    // Without the shortage the same loads justify nothing.
    expect(decide({ now: 0, self: self({ load: 1 }), peers: [peers[1]!], jobs: js }).move).toBe(false);
    // A target that would itself fall short is not used.
    expect(decide({ now: 0, self: short, peers: [peer(2, 3, { memAvailKb: 0.5 * GB })], jobs: js }).move).toBe(false);
  });
  it('load moves avoid targets the job would leave short of memory', () => {
    const d = decide({ now: 0, self: self(), peers: [peer(2, 0, { memAvailKb: 0.45 * GB }), peer(3, 1)], jobs: [job('a', { memKb: 200 * 1024 })] });
    expect(d).toMatchObject({ move: true, to: 3 });
  });
});

describe('bestNode', () => {
  const view = [peer(1, 3), peer(2, 1), peer(3, 1, { speed: 20000 }), peer(4, 0, { block: true }), peer(5, 0, { up: false })];
  it('picks the node the decision rule would', () => {
    const b = bestNode(view, { load: 1 }, 1);
    expect(b.node).toBe(3);
    expect(b.costs.map((c) => c.node)).toEqual([1, 2, 3]);
    const d = decide({ now: 0, self: self({ load: 3 }), peers: view.slice(1), jobs: [job('a')] });
    expect(d).toMatchObject({ move: true, to: b.node });
  });
  it('says stay where the job is when nothing is better', () => {
    expect(bestNode([peer(1, 1), peer(2, 1)], { load: 1 }, 1).node).toBe(1);
  });
  it('ignores stay (manual moves are allowed) and uses the default margin', () => {
    expect(DEFAULT_DECIDE.margin).toBeGreaterThan(1);
    expect(bestNode([peer(1, 2), peer(2, 0)], { load: 1 }, 1).node).toBe(2);
  });
});
