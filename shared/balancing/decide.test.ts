import { describe, expect, it } from 'vitest';
import { bestNode, decide, DEFAULT_DECIDE, holdReason, loadAfterDeparture, ownDecisionLoad, targetCost, type JobCandidate, type PeerState, type SelfState } from './decide.js';
import { crowding, estimatedFreezeMs, localLoad, moveCost } from './gain.js';
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
  it('cost = crowding at the target with the job (at least one task per CPU) + (m - 1) x job share + noise floor', () => {
    const o = { margin: 1.25, noiseFloor: 0.25 };
    expect(targetCost(peer(2, 1), 1, o)).toBeCloseTo(2 + 0.25 + 0.25);
    // 3 tasks on 2 CPUs twice the standard speed: 0.75; the job's share 1/2/2 = 0.25, times 0.25.
    expect(targetCost(peer(2, 2, { cpus: 2, speed: 20000 }), 1, o)).toBeCloseTo(0.75 + 0.0625 + 0.25);
    // A node with a free CPU gives the job a whole one: crowding 1, not 0.5.
    expect(targetCost(peer(2, 0, { cpus: 2 }), 1, o)).toBeCloseTo(1 + 0.125 + 0.25);
    expect(crowding(0.4, { cpus: 1, speed: 10000 })).toBe(1);
  });
  it('the freeze is a cost: staying runs at 1/own, moving stands still F then runs at 1/after, over the horizon H', () => {
    const o = { freezeFixedMs: 500, migrationKbPerS: 1000, moveCooldownMs: 60_000 };
    expect(estimatedFreezeMs(2000, o)).toBe(2500);
    expect(moveCost(2, 2000, o)).toBeCloseTo(2 * (2500 / 60_000));
    expect(moveCost(2, 1e9, o)).toBe(2);
  });
  it('local load: falls at once, rises by a sixteenth of the difference per sample, from 0', () => {
    expect(localLoad(undefined, 2)).toBe(0.125);
    expect(localLoad(2, 1)).toBe(1);
    expect(localLoad(1, 2)).toBeCloseTo(1.0625);
    let l = 0;
    for (let i = 0; i < 11; i++) l = localLoad(l, 2);
    expect(l).toBeCloseTo(2 * (1 - (15 / 16) ** 11));
    expect(l).toBeGreaterThan(1);
    // Three seconds of a burst of two more processes next to a hog add under 0.4.
    let b = 1;
    for (let i = 0; i < 3; i++) b = localLoad(b, 3);
    expect(b).toBeLessThan(1.4);
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
  it('the margin and the noise floor stop ping-pong between equal nodes', () => {
    // 3 vs 2 on equal nodes: moving would only swap the imbalance.
    expect(decide({ now: 0, self: self({ load: 3 }), peers: [peer(2, 2)], jobs: jobs4.slice(0, 3) }).move).toBe(false);
    // A small, noisy excess does not justify a move either.
    expect(decide({ now: 0, self: self({ load: 2.2 }), peers: [peer(2, 1)], jobs: jobs4.slice(0, 2) }).move).toBe(false);
    // Without margin, noise floor and freeze it would move; with them, not.
    const bare = { margin: 1, noiseFloor: 0, moveCooldownMs: 0 };
    expect(decide({ now: 0, self: self({ load: 2.2 }), peers: [peer(2, 1)], jobs: jobs4.slice(0, 2), options: bare }).move).toBe(true);
    expect(decide({ now: 0, self: self({ load: 3 }), peers: [peer(2, 1)], jobs: jobs4.slice(0, 3) }).move).toBe(true);
  });
  it('uses the local load when lower than the slowly falling exported load', () => {
    expect(ownDecisionLoad({ load: 3, local: 2 })).toBe(2);
    expect(ownDecisionLoad({ load: 1, local: 2 })).toBe(1);
    expect(decide({ now: 0, self: self({ load: 2.9, local: 2 }), peers: [peer(2, 1)], jobs: jobs4.slice(0, 2) }).move).toBe(false);
    expect(loadAfterDeparture(0.5, 1)).toBe(0);
  });
  it('a node with a free CPU sends nothing: every job there has a CPU already', () => {
    expect(decide({ now: 0, self: self({ load: 2, cpus: 2 }), peers: [peer(2, 0), peer(3, 0)], jobs: jobs4.slice(0, 2) }).move).toBe(false);
  });
  it('a big job needs a bigger gain: its freeze is paid back over the cooldown', () => {
    const two = (memKb: number) => decide({ now: 0, self: self({ load: 2 }), peers: [peer(2, 0)], jobs: [job('a', { memKb }), job('b', { memKb })] });
    expect(two(100 * 1024)).toMatchObject({ move: true, to: 2 });
    // 2 GB at ~30 MB/s freezes the job for over a minute: more than the 60 s it then stays.
    expect(two(2 * GB)).toMatchObject({ move: false, why: expect.stringContaining('no gain') });
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
  it('avoided targets are not picked', () => {
    const peers = [peer(2, 0), peer(3, 1)];
    expect(decide({ now: 0, self: self(), peers, jobs: jobs4 })).toMatchObject({ move: true, to: 2 });
    expect(decide({ now: 0, self: self(), peers, jobs: jobs4, avoid: new Map([[2, 'no CRIU there']]) })).toMatchObject({ move: true, to: 3 });
    expect(decide({ now: 0, self: self(), peers, jobs: jobs4, avoid: new Map([[2, 'x'], [3, 'y']]) }).move).toBe(false);
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

describe('noisy loads (issue 13): no ping-pong', () => {
  // One hog on node 1 of an idle cluster whose other nodes show bursts of unmovable work.
  const bursty = [peer(2, 0.9), peer(3, 0.05), peer(4, 1.6)];
  it('a lone hog stays, even when its own node shows a blip of extra load', () => {
    for (const local of [1, 1.125, 1.3]) {
      expect(decide({ now: 0, self: self({ load: 2, local }), peers: bursty, jobs: [job('hog')] }), `local ${local}`).toMatchObject({ move: false, why: expect.stringContaining('no gain') });
    }
    // Without the local load (the old rule took the present demand), a blip of 2 sent it away.
    expect(decide({ now: 0, self: self({ load: 2, local: 2 }), peers: bursty, jobs: [job('hog')] }).move).toBe(true);
  });
  it('two hogs part, and the move does not reverse from either side', () => {
    const there = decide({ now: 0, self: self({ load: 2, local: 2 }), peers: bursty, jobs: [job('a'), job('b')] });
    expect(there).toMatchObject({ move: true, job: 'a', to: 3 });
    // Node 3 now has the job plus its noise; node 1 still shows its slowly falling 2 minus the job.
    const back = decide({ now: 60_001, self: self({ id: 3, load: 1.05, local: 1.05 }), peers: [peer(1, 1), peer(2, 0.9), peer(4, 1.6)], jobs: [job('a', { lastMove: { at: 0, by: 'balancer' } })] });
    expect(back.move).toBe(false);
    const again = decide({ now: 60_001, self: self({ load: 1.2, local: 1 }), peers: [peer(2, 0.9), peer(3, 1.05), peer(4, 0)], jobs: [job('b')] });
    expect(again.move).toBe(false);
  });
  it("a job the admin moved stays for the admin hold; one the balancer moved, for the cooldown", () => {
    const busy = (lastMove: JobCandidate['lastMove'], now: number) => decide({ now, self: self({ load: 3 }), peers: [peer(2, 0)], jobs: [job('a', { ...(lastMove ? { lastMove } : {}) })] });
    const admin = { at: 0, by: 'admin' as const };
    expect(busy(admin, 5 * 60_000)).toMatchObject({ move: false });
    expect(holdReason({ lastMove: admin }, 5 * 60_000, DEFAULT_DECIDE)).toMatch(/moved here by the admin 300 s ago: the admin's placement stands for 600 s \(300 s left\)/);
    expect(busy(admin, DEFAULT_DECIDE.adminHoldMs)).toMatchObject({ move: true });
    // A move nobody announced counts as the admin's.
    expect(busy({ at: 0 }, 5 * 60_000)).toMatchObject({ move: false });
    expect(busy({ at: 0, by: 'balancer' }, DEFAULT_DECIDE.moveCooldownMs - 1)).toMatchObject({ move: false });
    expect(busy({ at: 0, by: 'balancer' }, DEFAULT_DECIDE.moveCooldownMs)).toMatchObject({ move: true });
    expect(DEFAULT_DECIDE.adminHoldMs).toBeGreaterThan(3 * 60_000);
  });
  it('memory ushering is not held back by a recent move', () => {
    const short = self({ load: 1, memAvailKb: 0.05 * 4 * GB });
    const d = decide({ now: 1000, self: short, peers: [peer(2, 0)], jobs: [job('a', { lastMove: { at: 0, by: 'admin' } })] });
    expect(d).toMatchObject({ move: true, reason: 'memory' });
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
