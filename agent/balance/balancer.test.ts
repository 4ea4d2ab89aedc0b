import { describe, expect, it } from 'vitest';
import type { NodeSample } from '../../shared/domain/node.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import type { JobCandidate } from './decide.js';
import type { InfoMessage } from '../../shared/balancing/types.js';
import { seededRng } from './rng.js';
import type { MapNode } from '../../shared/hpcMap.js';
import type { MigrationService } from '../daemon/services.js';
import { Balancer, NO_MIGRATION, type BalancerDeps } from './balancer.js';
import { DEFAULT_DECAY } from '../../shared/balancing/types.js';
import { NO_FLAGS } from '../../shared/protocol/balanceFlags.js';
import type { StoredControls } from './controlsStore.js';
import type { EventLogMark } from '../../shared/alerts/alertEvents.js';

const MAP: MapNode[] = [1, 2, 3].map((id) => ({ id, host: `10.0.0.${id}`, aliases: [], line: id }));

function sample(t: number, over: Partial<NodeSample> = {}): NodeSample {
  return { t, hostname: 'h', cpus: 1, demand: 0, load: 0, util: 0, mem: { totalKb: 1_000_000, freeKb: 800_000, availableKb: 900_000 }, speed: 10000, procCount: 10, ...over };
}

class FakeMigration implements MigrationService {
  jobs: JobCandidate[] = [];
  moves: { job: string; to: number; reason: string }[] = [];
  fail: string | undefined;
  candidates() {
    return this.jobs;
  }
  away() {
    return 0;
  }
  async migrate(job: string, to: number, reason: 'load' | 'memory' | 'admin') {
    this.moves.push({ job, to, reason });
    if (this.fail) throw new Error(this.fail);
    this.jobs = this.jobs.filter((j) => j.key !== job);
  }
}

/** A few nodes wired through an in-memory "exchange": send() delivers to the addressee. */
function cluster(
  ids = [1, 2, 3],
  opts: { migration?: (id: number) => MigrationService | undefined; alertLog?: (id: number) => EventLogMark | undefined; targetProblem?: BalancerDeps['targetProblem'] } = {},
) {
  let now = 1_000_000;
  const saved = new Map<number, StoredControls>();
  const nodes = new Map<number, Balancer>();
  const sent: InfoMessage[] = [];
  for (const id of ids) {
    nodes.set(
      id,
      new Balancer({
        clock: () => now,
        rng: seededRng(id),
        membership: () => ({ selfId: id, nodes: MAP.filter((n) => ids.includes(n.id)) }),
        send: (msg) => {
          sent.push(msg);
          nodes.get(msg.to)?.receive(msg.from, JSON.parse(JSON.stringify(msg)));
        },
        migration: () => opts.migration?.(id),
        alertLog: () => opts.alertLog?.(id),
        ...(opts.targetProblem ? { targetProblem: opts.targetProblem } : {}),
        store: { load: () => saved.get(id) ?? { flags: { ...NO_FLAGS }, decay: { ...DEFAULT_DECAY } }, save: (c) => saved.set(id, c) },
      }),
    );
  }
  return { nodes, sent, saved, advance: (ms: number) => (now += ms), now: () => now };
}

const snap = (s: NodeSample, procs: ProcInfo[] = []) => ({ sample: s, procs });

describe('Balancer: infod over the exchange', () => {
  it('every node learns every other node within a few gossip rounds', () => {
    const c = cluster();
    for (const [id, b] of c.nodes) b.onSample(snap(sample(c.now(), { load: id, demand: id, speed: 10000 * id })));
    for (let i = 0; i < 12; i++) {
      c.advance(500);
      for (const b of c.nodes.values()) b.gossip();
    }
    const view = c.nodes.get(1)!.view();
    expect(view.map((v) => [v.node, v.up, v.speed])).toEqual([[1, true, 10000], [2, true, 20000], [3, true, 30000]]);
    expect(view[0]!.self).toBe(true);
  });

  it('quiet stops sending; the others then mark the node down', () => {
    const c = cluster([1, 2]);
    for (const b of c.nodes.values()) b.onSample(snap(sample(c.now())));
    c.nodes.get(2)!.set('quiet', true);
    const before = c.sent.length;
    for (let i = 0; i < 10; i++) {
      c.advance(500);
      c.nodes.get(2)!.gossip();
    }
    expect(c.sent.length).toBe(before);
    expect(c.nodes.get(1)!.view().find((v) => v.node === 2)).toBeUndefined();
    c.nodes.get(2)!.set('quiet', false);
    c.nodes.get(2)!.gossip();
    expect(c.nodes.get(1)!.view().find((v) => v.node === 2)?.up).toBe(true);
  });

  it('quiet also gathers nothing: what others send is not merged', () => {
    const c = cluster([1, 2]);
    for (const b of c.nodes.values()) b.onSample(snap(sample(c.now())));
    const quiet = c.nodes.get(2)!;
    quiet.set('quiet', true);
    expect(quiet.receive(1, { from: 1, to: 2, entries: [{ node: 1, load: 3, speed: 10000, cpus: 1, memAvailKb: 1, memTotalKb: 2, util: 0, t: c.now(), seq: 1 }] })).toBe(0);
    expect(quiet.view().find((v) => v.node === 1)).toBeUndefined();
    quiet.set('quiet', false);
    expect(quiet.receive(1, { from: 1, to: 2, entries: [{ node: 1, load: 3, speed: 10000, cpus: 1, memAvailKb: 1, memTotalKb: 2, util: 0, t: c.now(), seq: 2 }] })).toBe(1);
    expect(quiet.view().find((v) => v.node === 1)?.load).toBe(3);
  });

  it('drops messages that claim another sender, another addressee, a non-member, or are not infod messages', () => {
    const c = cluster([1, 2]);
    const b1 = c.nodes.get(1)!;
    const entry = { node: 2, load: 5, speed: 10000, cpus: 1, memAvailKb: 1, memTotalKb: 2, util: 0, t: 1, seq: 1 };
    expect(b1.receive(3, { from: 2, to: 1, entries: [entry] })).toBe(0);
    expect(b1.receive(2, { from: 2, to: 3, entries: [entry] })).toBe(0);
    expect(b1.receive(9, { from: 9, to: 1, entries: [{ ...entry, node: 9 }] })).toBe(0);
    expect(b1.receive(2, 'hello')).toBe(0);
    expect(b1.view()).toEqual([]);
    expect(b1.receive(2, { from: 2, to: 1, entries: [entry] })).toBe(1);
  });

  it('block travels in the entry, so other nodes see it', () => {
    const c = cluster([1, 2]);
    c.nodes.get(2)!.set('block', true);
    for (const b of c.nodes.values()) b.onSample(snap(sample(c.now())));
    c.nodes.get(2)!.gossip();
    expect(c.nodes.get(1)!.view().find((v) => v.node === 2)?.block).toBe(true);
  });

  it('where the node\'s alert events stand travels in its entry, as of its last sample', () => {
    let seq = 3;
    const c = cluster([1, 2], { alertLog: (id) => (id === 2 ? { boot: 42, seq } : undefined) });
    for (const b of c.nodes.values()) b.onSample(snap(sample(c.now())));
    seq = 5; // a new event after the sample: told with the next one
    c.nodes.get(2)!.gossip();
    expect(c.nodes.get(1)!.view().find((v) => v.node === 2)?.alertLog).toEqual({ boot: 42, seq: 3 });
    c.advance(1000);
    c.nodes.get(2)!.onSample(snap(sample(c.now())));
    c.nodes.get(2)!.gossip();
    expect(c.nodes.get(1)!.view().map((v) => [v.node, v.alertLog])).toEqual([[1, undefined], [2, { boot: 42, seq: 5 }]]);
  });
});

describe('Balancer: decisions and controls', () => {
  function loaded(migs: Map<number, FakeMigration>, targetProblem?: BalancerDeps['targetProblem']) {
    const c = cluster([1, 2, 3], { migration: (id) => migs.get(id), ...(targetProblem ? { targetProblem } : {}) });
    const gossipAll = () => {
      for (let i = 0; i < 8; i++) {
        c.advance(500);
        for (const b of c.nodes.values()) b.gossip();
      }
    };
    return { c, gossipAll };
  }
  /** The local load rises by an eighth of the difference per sample: a node counts work that stays. */
  const settle = (b: Balancer, s: () => ReturnType<typeof snap>) => {
    for (let i = 0; i < 30; i++) b.onSample(s());
  };
  const job = (key: string, home = 1, load = 1): JobCandidate => ({ key, home, load, mode: 'slowdecay', memKb: 1000 });

  it('says why it moves nothing without a migration service', () => {
    const c = cluster([1, 2]);
    c.nodes.get(1)!.onSample(snap(sample(c.now(), { load: 3, demand: 3 })));
    expect(c.nodes.get(1)!.note).toBe(NO_MIGRATION);
  });

  it('moves the busiest job to the idle node, lowers its own load at once and never bounces it', async () => {
    const m1 = new FakeMigration();
    m1.jobs = [job('1.1', 1, 1), job('1.2', 1, 1), job('1.3', 1, 1)];
    const { c, gossipAll } = loaded(new Map([[1, m1]]));
    // Before the exchange brings news of others, nothing can move: the local load has time to count the work.
    settle(c.nodes.get(1)!, () => snap(sample(c.now(), { load: 3, demand: 3 })));
    c.nodes.get(2)!.onSample(snap(sample(c.now())));
    c.nodes.get(3)!.onSample(snap(sample(c.now(), { load: 2, demand: 2 })));
    gossipAll();
    const d = c.nodes.get(1)!.onSample(snap(sample(c.now(), { load: 3, demand: 3 })));
    expect(d).toMatchObject({ move: true, to: 2, reason: 'load' });
    await Promise.resolve();
    expect(m1.moves).toEqual([{ job: '1.1', to: 2, reason: 'load' }]);
    expect(c.nodes.get(1)!.moves).toBe(1);
    // Node 2 now counts the job in node 1's view: a second job does not follow on stale news.
    expect(c.nodes.get(1)!.view().find((v) => v.node === 2)!.load).toBeCloseTo(1);
  });

  it('stay, lstay and quiet stop automatic moves; block on the target keeps jobs off it', async () => {
    const m1 = new FakeMigration();
    m1.jobs = [job('1.1'), job('1.2')];
    const { c, gossipAll } = loaded(new Map([[1, m1]]));
    const b1 = c.nodes.get(1)!;
    const busy = () => snap(sample(c.now(), { load: 2, demand: 2 }));
    c.nodes.get(2)!.onSample(snap(sample(c.now())));
    c.nodes.get(3)!.onSample(snap(sample(c.now(), { load: 3, demand: 3 })));
    for (const [flag, why] of [['stay', /stay/], ['quiet', /quiet/], ['lstay', /no CPU-balancing candidate|no job may move/]] as const) {
      b1.set(flag, true);
      b1.onSample(busy());
      gossipAll();
      expect(b1.onSample(busy())).toMatchObject({ move: false, why: expect.stringMatching(why) });
      b1.set(flag, false);
    }
    c.nodes.get(2)!.set('block', true);
    c.nodes.get(2)!.onSample(snap(sample(c.now())));
    gossipAll();
    expect(b1.onSample(busy())).toMatchObject({ move: false });
    expect(m1.moves).toEqual([]);
  });

  it('a failed move is counted and explained', async () => {
    const m1 = new FakeMigration();
    m1.fail = 'node 2 blocks guests';
    m1.jobs = [job('1.1'), job('1.2')];
    const { c, gossipAll } = loaded(new Map([[1, m1]]));
    for (const id of [2, 3]) c.nodes.get(id)!.onSample(snap(sample(c.now())));
    gossipAll();
    settle(c.nodes.get(1)!, () => snap(sample(c.now(), { load: 2, demand: 2 })));
    await new Promise((r) => setTimeout(r, 0));
    expect(c.nodes.get(1)!.failedMoves).toBe(1);
    expect(c.nodes.get(1)!.note).toContain('node 2 blocks guests');
  });

  it('a target that refused a move because it blocked guests gets jobs again as soon as its news says it no longer blocks', async () => {
    // The view said node 2 took guests (its block had not reached node 1 yet): the move was refused.
    const m1 = new FakeMigration();
    m1.fail = 'node 2 blocks guests';
    m1.jobs = [job('1.1'), job('1.2')];
    const blocks = new Set([2]);
    const { c, gossipAll } = loaded(new Map([[1, m1]]), async (node) => (blocks.has(node) ? { why: `node ${node} blocks guests (mosctl block)`, blocks: true } : undefined));
    const b1 = c.nodes.get(1)!;
    c.nodes.get(2)!.onSample(snap(sample(c.now())));
    c.nodes.get(3)!.onSample(snap(sample(c.now(), { load: 5, demand: 5 })));
    gossipAll();
    const busy = () => snap(sample(c.now(), { load: 3, demand: 3 }));
    settle(b1, busy);
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(b1.failedMoves).toBe(1);
    expect(b1.avoiding().map((a) => a.why)).toEqual(['node 2 blocks guests (mosctl block)']);
    // mosctl noblock on node 2 (it never blocked in its entries here): its next news lifts the avoidance.
    blocks.delete(2);
    m1.fail = undefined;
    c.nodes.get(2)!.onSample(snap(sample(c.now())));
    gossipAll();
    b1.onSample(busy());
    expect(b1.avoiding()).toEqual([]);
    expect(m1.moves.at(-1)).toMatchObject({ to: 2, reason: 'load' });
  });

  it('fills a candidate without a load figure from the tracked CPU use of its processes', () => {
    const m1 = new FakeMigration();
    m1.jobs = [{ ...job('1.7'), load: 0 }];
    const { c } = loaded(new Map([[1, m1]]));
    const proc: ProcInfo = { pid: 7, ppid: 1, user: 'u', command: 'hog', args: 'hog', state: 'R', cpu: 100, rssKb: 1, nice: 0, where: 0, job: { home: 1, id: 7 } };
    const b1 = c.nodes.get(1)!;
    b1.onSample(snap(sample(c.now()), [proc]));
    c.advance(1000);
    b1.onSample(snap(sample(c.now()), [proc]));
    expect(b1.candidates()[0]!.load).toBeCloseTo(1);
  });

  it('expel sends guests home; sendJobsOf(home) sends that node its jobs; flags persist through the store', async () => {
    const m2 = new FakeMigration();
    m2.jobs = [job('1.1', 1), job('3.4', 3), job('2.9', 2)];
    const { c } = loaded(new Map([[2, m2]]));
    const b2 = c.nodes.get(2)!;
    expect(await b2.sendJobsOf(3)).toMatchObject({ moved: ['3.4'], failed: [] });
    expect(await b2.expel()).toMatchObject({ moved: ['1.1'], failed: [] });
    expect(m2.moves.map((m) => [m.job, m.to, m.reason])).toEqual([['3.4', 3, 'admin'], ['1.1', 1, 'admin']]);
    b2.set('lstay', true);
    b2.setDecay({ intervalS: 2 });
    expect(c.saved.get(2)).toEqual({ flags: { ...NO_FLAGS, lstay: true }, decay: { intervalS: 2, slow: 975, fast: 926 } });
  });
});
