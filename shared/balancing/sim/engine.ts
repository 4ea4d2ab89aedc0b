/**
 * A deterministic discrete-time cluster: virtual nodes run the real infod and decide code
 * (same modules as the agent daemon), with time, messages and randomness simulated. Time
 * is kept in whole milliseconds so that runs replay bit for bit.
 */
import { STANDARD_SPEED } from '../../domain/node.js';
import { smoothLoad } from '../../loadFigures.js';
import { decide, loadAfterDeparture, type DecideOptions, type JobCandidate } from '../decide.js';
import { localLoad, type LastMove, type MovedBy } from '../gain.js';
import { Infod } from '../infod.js';
import { newJobLoad, observeJob, type JobLoadState } from '../jobLoad.js';
import { seededRng } from '../rng.js';
import { NO_FLAGS, type NodeFlags } from '../types.js';
import { NodeNoise } from './noise.js';
import { summarise, type JobOutcome, type Policy, type SimJobSpec, type SimNodeSpec, type SimResult, type Workload } from './model.js';

export interface SimOptions {
  stepMs: number;
  /** Node load sampling (smoothLoad) and job-load decay interval. */
  sampleMs: number;
  gossipMs: number;
  decideMs: number;
  /** Migration freeze: fixed part plus memory / bandwidth. */
  freezeFixedMs: number;
  migrationKbPerS: number;
  /** Give up after this much simulated time. */
  maxTimeS: number;
  decide?: Partial<DecideOptions>;
  flags?: Record<number, Partial<NodeFlags>>;
  /** Called at every load sample with the jobs each node holds (for tests and traces). */
  observe?: (nowMs: number, jobsPerNode: ReadonlyMap<number, number>) => void;
  /** The admin's moves (`migrate JOB NODE`): done at that time if the job runs and is not frozen. */
  adminMoves?: { atMs: number; job: number; to: number }[];
}

export const DEFAULT_SIM: Readonly<SimOptions> = Object.freeze({
  stepMs: 100,
  sampleMs: 1000,
  gossipMs: 500,
  decideMs: 1000,
  freezeFixedMs: 100,
  migrationKbPerS: 100 * 1024,
  maxTimeS: 20_000,
});

/** Freeze of a migrating job: the time to stop it, ship its memory and restart it. */
export function freezeMs(memKb: number, o: Pick<SimOptions, 'freezeFixedMs' | 'migrationKbPerS'>): number {
  return Math.round(o.freezeFixedMs + (1000 * memKb) / o.migrationKbPerS);
}

interface Job {
  spec: SimJobSpec;
  node: number;
  remaining: number;
  frozenUntil: number;
  stats: JobLoadState;
  /** Usage since the last sample, handed to the job-load statistics once per sample. */
  cpuS: number;
  runnableS: number;
  lastDecisionAt?: number;
  lastMove?: LastMove;
  migrations: number;
}

interface Node {
  spec: SimNodeSpec;
  index: number;
  load: number;
  /** Demand at the last sample: jobs, background processes and the blip of that instant. */
  demand: number;
  /** The node's local load (gain.ts), as its agent keeps it. */
  local: number | undefined;
  noise: NodeNoise;
  /** Background processes running now (they share the CPUs, never move). */
  background: number;
  jobs: Job[];
  infod: Infod;
  flags: NodeFlags;
}

export function simulate(w: Workload, policy: Policy, seed: number, options: Partial<SimOptions> = {}): SimResult {
  const o: SimOptions = { ...DEFAULT_SIM, ...options };
  let now = 0;
  const clock = () => now;
  const ids = w.nodes.map((n) => n.id);
  const nodes = new Map<number, Node>();
  w.nodes.forEach((spec, index) => {
    // Each node its own stream, derived from the seed, so that adding a node does not reshuffle the others.
    const nodeRng = seededRng((seed * 7919 + spec.id * 104729) >>> 0);
    nodes.set(spec.id, { spec, index, load: 0, demand: 0, local: undefined, noise: new NodeNoise(w.noise, spec.id, seed), background: 0, jobs: [], infod: new Infod(spec.id, ids, { clock, rng: nodeRng }), flags: { ...NO_FLAGS, ...o.flags?.[spec.id] } });
  });
  const order = [...nodes.values()];
  const pending = [...w.jobs].sort((a, b) => a.arrival - b.arrival || a.id - b.id);
  const done: JobOutcome[] = [];
  const arrived: Job[] = [];
  const adminMoves = [...(o.adminMoves ?? [])].sort((a, b) => a.atMs - b.atMs);
  let placed = 0;
  const limit = o.maxTimeS * 1000;
  order.forEach(report);

  while ((pending.length > 0 || order.some((n) => n.jobs.length > 0)) && now < limit) {
    while (pending.length && pending[0]!.arrival * 1000 <= now) {
      const spec = pending.shift()!;
      const at = policy === 'roundrobin' ? order[placed % order.length]!.spec.id : spec.home;
      placed++;
      const job: Job = { spec, node: at, remaining: spec.work, frozenUntil: now, stats: newJobLoad('slowdecay'), cpuS: 0, runnableS: 0, migrations: 0 };
      arrived.push(job);
      nodes.get(at)!.jobs.push(job);
    }
    while (adminMoves.length && adminMoves[0]!.atMs <= now) adminMove(adminMoves.shift()!, nodes, now, o);

    // Progress over [now, now + step): CPUs shared equally among the jobs not frozen.
    const dtS = o.stepMs / 1000;
    for (const n of order) {
      n.background = n.noise.runnable(now);
      const running = n.jobs.filter((j) => j.frozenUntil <= now);
      const share = running.length ? Math.min(1, n.spec.cpus / (running.length + n.background)) : 0;
      const rate = (share * n.spec.speed) / STANDARD_SPEED;
      for (const j of n.jobs) {
        const on = j.frozenUntil <= now;
        if (!on) continue;
        j.cpuS += share * dtS;
        j.runnableS += dtS;
        const before = j.remaining;
        j.remaining -= rate * dtS;
        if (j.remaining <= 1e-9) {
          const finish = (now + o.stepMs * (before / (rate * dtS))) / 1000;
          done.push({ id: j.spec.id, arrival: j.spec.arrival, finish, work: j.spec.work, migrations: j.migrations, node: n.spec.id });
        }
      }
      n.jobs = n.jobs.filter((j) => j.remaining > 1e-9);
    }
    now += o.stepMs;

    if (now % o.sampleMs === 0) {
      for (const n of order) {
        n.demand = n.jobs.length + n.background + n.noise.blip();
        n.load = smoothLoad(n.load, n.demand);
        n.local = localLoad(n.local, n.demand);
        for (const j of n.jobs) {
          // A job that arrived mid-interval is observed from its arrival only.
          const elapsedS = Math.min(o.sampleMs, now - j.spec.arrival * 1000) / 1000;
          j.stats = observeJob(j.stats, { cpuS: j.cpuS, runnableS: j.runnableS, elapsedS }, { intervalS: o.sampleMs / 1000, slow: 975, fast: 926 });
          j.cpuS = 0;
          j.runnableS = 0;
        }
        report(n);
      }
      o.observe?.(now, new Map(order.map((n) => [n.spec.id, n.jobs.length])));
    }
    if (policy !== 'balance') continue;
    for (const n of order) {
      if ((now + n.index * o.stepMs) % o.gossipMs !== 0) continue;
      const msg = n.infod.tick();
      if (msg) nodes.get(msg.to)?.infod.receive(msg);
    }
    for (const n of order) {
      if ((now + n.index * o.stepMs) % o.decideMs === 0) balanceOnce(n, nodes, now, o);
    }
  }
  const perJob = Object.fromEntries(arrived.map((j) => [j.spec.id, j.migrations]));
  return summarise(w, policy, seed, done.sort((a, b) => a.id - b.id), pending.length === 0 && order.every((n) => n.jobs.length === 0), perJob);
}

/** The admin's `migrate`: no balancing rule asked, the job simply goes (if it runs and may). */
function adminMove(m: { job: number; to: number }, nodes: Map<number, Node>, now: number, o: SimOptions): void {
  const from = [...nodes.values()].find((n) => n.jobs.some((j) => j.spec.id === m.job && j.frozenUntil <= now));
  const target = nodes.get(m.to);
  if (!from || !target || from === target || target.flags.block) return;
  moveJob(from.jobs.find((j) => j.spec.id === m.job)!, from, target, now, o, 'admin');
}

function moveJob(job: Job, from: Node, target: Node, now: number, o: SimOptions, by: MovedBy): void {
  from.jobs = from.jobs.filter((j) => j !== job);
  job.node = target.spec.id;
  job.frozenUntil = now + freezeMs(job.spec.memKb, o);
  job.migrations++;
  job.lastDecisionAt = now;
  // The target learns of the move when the job arrives, by its own clock (the same one here).
  job.lastMove = { at: job.frozenUntil, by, from: from.spec.id };
  target.jobs.push(job);
}

function memUsedKb(n: Node): number {
  return n.jobs.reduce((a, j) => a + j.spec.memKb, 0);
}

/** What the node's agent would hand its infod after sampling. */
function report(n: Node): void {
  n.infod.setQuiet(n.flags.quiet);
  n.infod.update({
    load: n.load,
    speed: n.spec.speed,
    cpus: n.spec.cpus,
    memAvailKb: Math.max(0, n.spec.memTotalKb - memUsedKb(n)),
    memTotalKb: n.spec.memTotalKb,
    util: (100 * Math.min(n.spec.cpus, n.jobs.length)) / n.spec.cpus,
    block: n.flags.block,
  });
}

function balanceOnce(n: Node, nodes: Map<number, Node>, now: number, o: SimOptions): void {
  const candidates: JobCandidate[] = n.jobs
    .filter((j) => j.frozenUntil <= now)
    .map((j) => ({
      key: String(j.spec.id),
      home: j.spec.home,
      load: j.stats.load,
      mode: j.stats.mode,
      memKb: j.spec.memKb,
      ...(j.lastDecisionAt === undefined ? {} : { lastDecisionAt: j.lastDecisionAt }),
      ...(j.lastMove ? { lastMove: j.lastMove } : {}),
    }));
  const d = decide({
    now,
    self: { id: n.spec.id, load: n.load, ...(n.local === undefined ? {} : { local: n.local }), cpus: n.spec.cpus, speed: n.spec.speed, memAvailKb: n.spec.memTotalKb - memUsedKb(n), memTotalKb: n.spec.memTotalKb, flags: n.flags },
    peers: n.infod.view().filter((v) => !v.self),
    jobs: candidates,
    ...(o.decide ? { options: o.decide } : {}),
  });
  if (!d.move) return;
  const job = n.jobs.find((j) => String(j.spec.id) === d.job)!;
  const target = nodes.get(d.to)!;
  job.lastDecisionAt = now;
  if (target.flags.block) return; // the target refuses at the door, as a real one would
  moveJob(job, n, target, now, o, 'balancer');
  n.load = loadAfterDeparture(n.load, job.stats.load);
  // The local load may lag below the demand: lower it only as far as the demand now is.
  if (n.local !== undefined) n.local = Math.min(n.local, Math.max(0, n.demand - job.stats.load));
  n.demand = Math.max(0, n.demand - job.stats.load);
  n.infod.noteMigration(d.to, job.stats.load);
  report(n);
}
