/**
 * One node's balancer: runs infod over the sealed exchange, keeps this node's exported
 * load, tracks per-job load and once per sample decides whether to move a job
 * (agent/balance/decide.ts) through the migration service. No timers or sockets here:
 * the feature (feature.ts) drives it, the tests drive it with fakes.
 */
import type { NodeId, NodeSample } from '../../shared/domain/node.js';
import type { MapNode } from '../../shared/hpcMap.js';
import { smoothLoad } from '../../shared/loadFigures.js';
import { Infod } from './infod.js';
import { decide, DEFAULT_DECIDE, holdReason, loadAfterDeparture, type Decision, type JobCandidate } from './decide.js';
import { localLoad } from './gain.js';
import { summarizeReasons } from '../jobs/cantMove.js';
import type { Rng } from './rng.js';
import type { DecayParams, InfoMessage, ViewNode } from '../../shared/balancing/types.js';
import type { EventLogMark } from '../../shared/alerts/alertEvents.js';
import type { FlagName, NodeFlags } from '../../shared/protocol/balanceFlags.js';
import type { AvoidedTarget, HeldJob, MoveReport } from '../../shared/protocol/agentBalance.js';
import type { MigrationService } from '../daemon/services.js';
import type { Snapshot } from '../daemon/feature.js';
import type { StoredControls } from './controlsStore.js';
import { JobTracker } from './jobTracker.js';
import { TargetTrouble, type TargetProblem } from './targetTrouble.js';
import { JobChecks } from './jobChecks.js';
import { Arrivals } from './arrivals.js';
import { sendHome } from './sendHome.js';

export interface BalancerDeps {
  clock(): number;
  rng: Rng;
  membership(): { selfId: NodeId; nodes: MapNode[] } | undefined;
  /** Hands one infod message to the transport. */
  send(msg: InfoMessage): void;
  migration(): MigrationService | undefined;
  store: { load(): StoredControls; save(c: StoredControls): void };
  /** Tells the target, before an automatic move, that the job comes from the balancer (peer balance.arriving). */
  announce?(to: NodeId, job: string): Promise<void>;
  /** Why a job here cannot move (CRIU here, its files): the jobs service's full check without a target. */
  checkJob?(job: string): Promise<string[]>;
  /** Why a target cannot take jobs, from its own facts (mig.facts), or undefined when they show nothing. */
  targetProblem?(node: NodeId): Promise<TargetProblem | undefined>;
  /** Where this node's own alert events stand, told in its entry so the collector's node asks only when it moved. */
  alertLog?(): EventLogMark | undefined;
}

export const NO_MIGRATION =
  'no migration service in this agent: the node shares its load but moves no jobs (the jobs feature provides migration)';

function isInfoMessage(b: unknown): b is InfoMessage {
  const m = b as InfoMessage | null;
  return !!m && typeof m === 'object' && Number.isInteger(m.from) && Number.isInteger(m.to) && Array.isArray(m.entries) && m.entries.length <= 256;
}

export class Balancer {
  private controls: StoredControls;
  private infod: Infod | undefined;
  private exported: number | undefined;
  /** The local load (gain.ts): what this node weighs its own load by. */
  private local: number | undefined;
  private readonly tracker = new JobTracker();
  private readonly decidedAt = new Map<string, number>();
  private readonly arrivals: Arrivals;
  private readonly trouble = new TargetTrouble();
  private readonly checks: JobChecks | undefined;
  private inFlight = false;
  private adminBusy = 0;
  note = '';
  moves = 0;
  failedMoves = 0;

  constructor(private readonly deps: BalancerDeps) {
    this.controls = deps.store.load();
    this.arrivals = new Arrivals(deps.clock);
    if (deps.checkJob) this.checks = new JobChecks(deps.checkJob, deps.clock);
  }

  flags(): NodeFlags {
    return { ...this.controls.flags };
  }

  decay(): DecayParams {
    return { ...this.controls.decay };
  }

  selfId(): NodeId | undefined {
    return this.deps.membership()?.selfId;
  }

  set(flag: FlagName, value: boolean): void {
    this.controls = { ...this.controls, flags: { ...this.controls.flags, [flag]: value } };
    this.deps.store.save(this.controls);
    this.infod?.setQuiet(this.controls.flags.quiet);
  }

  setDecay(d: { intervalS: number; slow?: number; fast?: number }): void {
    const cur = this.controls.decay;
    this.controls = { ...this.controls, decay: { intervalS: d.intervalS, slow: d.slow ?? cur.slow, fast: d.fast ?? cur.fast } };
    this.deps.store.save(this.controls);
  }

  /** Keeps infod in step with the map: a new node ID starts a fresh table. */
  private sync(): Infod | undefined {
    const m = this.deps.membership();
    if (!m) return (this.infod = undefined);
    const ids = m.nodes.map((n) => n.id);
    if (!this.infod || this.infod.self !== m.selfId) {
      this.infod = new Infod(m.selfId, ids, { clock: this.deps.clock, rng: this.deps.rng });
      this.infod.setQuiet(this.controls.flags.quiet);
    } else {
      this.infod.setPeers(ids);
    }
    return this.infod;
  }

  /** Every half second: one message to one random peer (nothing while quiet or unsampled). */
  gossip(): InfoMessage | undefined {
    const msg = this.sync()?.tick();
    if (msg) this.deps.send(msg);
    return msg;
  }

  /** A message the transport authenticated as coming from `from`. Returns entries accepted. */
  receive(from: NodeId, body: unknown): number {
    const infod = this.sync();
    const m = this.deps.membership();
    // quiet: "disable gathering of load-balancing information" (HOWTO 8.5), so nothing is merged.
    if (!infod || !m || this.controls.flags.quiet || !isInfoMessage(body)) return 0;
    // A member may only speak for itself and to us; a message naming other senders is dropped.
    if (body.from !== from || body.to !== m.selfId || !m.nodes.some((n) => n.id === from)) return 0;
    return infod.receive(body);
  }

  view(which: 'balancing' | 'reported' = 'balancing'): ViewNode[] {
    return this.sync()?.view(which) ?? [];
  }

  /** Once per sample: own figures into infod, job loads, then at most one decision. */
  onSample(snap: Snapshot): Decision | undefined {
    const s = snap.sample;
    this.exported = this.exported === undefined ? s.load : smoothLoad(this.exported, s.demand);
    this.local = localLoad(this.local, s.demand);
    // Modes first, so a new job's very first figure already follows its mode (cpujob counts 1).
    const raw = this.deps.migration()?.candidates() ?? [];
    for (const j of raw) this.tracker.setMode(j.key, j.mode);
    void this.checks?.tick(raw.map((j) => j.key));
    this.tracker.observe(snap.procs, s.t, this.controls.decay);
    const infod = this.sync();
    const alertLog = this.deps.alertLog?.();
    infod?.update({
      load: this.exported,
      speed: s.speed,
      cpus: s.cpus,
      memAvailKb: s.mem.availableKb,
      memTotalKb: s.mem.totalKb,
      memFreeKb: s.mem.freeKb,
      util: s.util,
      ...(s.io ? { io: s.io } : {}),
      block: this.controls.flags.block,
      ...(alertLog ? { alertLog } : {}),
    });
    if (!infod) {
      this.note = 'not in a cluster: no map installed (setpe -w -f MAP, or open the cluster in Mosixview)';
      return undefined;
    }
    return this.decideNow(s, infod, raw);
  }

  /**
   * The migration service's jobs with this balancer's figures: tracked load, last decision,
   * who moved it here, and what its last check found.
   */
  candidates(raw: readonly JobCandidate[] = this.deps.migration()?.candidates() ?? []): JobCandidate[] {
    return raw.map((j) => {
      const mine = this.decidedAt.get(j.key);
      const last = Math.max(j.lastDecisionAt ?? -Infinity, mine ?? -Infinity);
      // The tracked figure follows docs/LOAD-MODEL.md (decaying max(cpu, runnable), per mode);
      // the service's own figure stands in until the job has been seen for an interval.
      const tracked = this.tracker.load(j.key);
      const load = tracked > 0 ? tracked : j.load;
      const checked = summarizeReasons(this.checks?.reasons(j.key) ?? []);
      const cantMove = j.cantMove ?? checked;
      return {
        ...j,
        load,
        ...(Number.isFinite(last) ? { lastDecisionAt: last } : {}),
        ...(j.lastMove ? { lastMove: { ...j.lastMove, by: this.arrivals.movedBy(j.key, j.lastMove.at) } } : {}),
        ...(cantMove ? { cantMove } : {}),
      };
    });
  }

  /** Another node's balancer is about to send `job` here (peer balance.arriving). */
  expectArrival(job: string): void {
    this.arrivals.expect(job);
  }

  /** Jobs here that the balancer will not move for load now, with why (mosctl status, the configuration window). */
  held(): HeldJob[] {
    const now = this.deps.clock();
    const out: HeldJob[] = [];
    for (const j of this.candidates()) {
      const why = j.cantMove ?? (j.locked ? 'it is locked' : holdReason(j, now, DEFAULT_DECIDE));
      if (why) out.push({ job: j.key, why });
    }
    return out;
  }

  /** Targets not picked now because their moves failed. */
  avoiding(): AvoidedTarget[] {
    return this.trouble.list(this.deps.clock());
  }

  private decideNow(s: NodeSample, infod: Infod, raw: readonly JobCandidate[]): Decision | undefined {
    const mig = this.deps.migration();
    if (!mig) {
      this.note = NO_MIGRATION;
      return undefined;
    }
    if (this.inFlight || this.adminBusy) return undefined;
    const now = this.deps.clock();
    const jobs = this.candidates(raw);
    const peers = infod.view().filter((v) => !v.self);
    this.trouble.news(peers.map((v) => ({ node: v.node, blocks: !!v.block, at: now - v.ageMs })));
    const d = decide({
      now,
      self: { id: infod.self, load: this.exported ?? s.load, local: this.local ?? 0, cpus: s.cpus, speed: s.speed, memAvailKb: s.mem.availableKb, memTotalKb: s.mem.totalKb, flags: this.controls.flags },
      peers,
      jobs,
      avoid: this.trouble.avoided(now),
    });
    if (!d.move) {
      this.note = d.why;
      return d;
    }
    const w = jobs.find((j) => j.key === d.job)?.load ?? 0;
    this.decidedAt.set(d.job, now);
    // Counted at the target and gone from here at once, so that no second job follows on stale news.
    infod.noteMigration(d.to, w);
    this.exported = loadAfterDeparture(this.exported ?? s.load, w);
    const localBefore = this.local ?? 0;
    // The local load may lag below the demand: lower it only as far as the demand now is.
    this.local = Math.min(localBefore, loadAfterDeparture(s.demand, w));
    this.note = `moving job ${d.job} to node ${d.to} (${d.reason}: ${d.targetCost.toFixed(2)} there < ${d.ownLoad.toFixed(2)} here)`;
    this.moves++;
    this.inFlight = true;
    void this.move(mig, d, w, localBefore).finally(() => {
      this.inFlight = false;
      this.decidedAt.set(d.job, this.deps.clock());
    });
    return d;
  }

  private async move(mig: MigrationService, d: Extract<Decision, { move: true }>, w: number, localBefore: number): Promise<void> {
    try {
      // Announced first, so that the target holds the job for the balancer's cooldown, not the admin's hold.
      await this.deps.announce?.(d.to, d.job).catch(() => undefined);
      await mig.migrate(d.job, d.to, d.reason);
      this.trouble.succeeded(d.to);
    } catch (e) {
      const now = this.deps.clock();
      this.failedMoves++;
      // The job never left: its load leaves the target's books and comes back into ours at once.
      this.sync()?.cancelMigration(d.to, w);
      this.local = Math.max(this.local ?? 0, localBefore);
      this.checks?.again(d.job);
      const ms = this.trouble.failed(d.to, `a move there failed: ${(e as Error).message}`, now);
      this.note = `moving job ${d.job} to node ${d.to} failed: ${(e as Error).message}; node ${d.to} is not picked for ${Math.round(ms / 1000)} s`;
      const problem = await this.deps.targetProblem?.(d.to).catch(() => undefined);
      if (problem) this.trouble.factsSay(d.to, problem.why, this.deps.clock(), { liftedByNews: !!problem.blocks });
    }
  }

  /** expel: every guest goes back to its home node. */
  expel(): Promise<MoveReport> {
    const self = this.selfId();
    return this.adminMoves((j) => self !== undefined && j.home !== self, 'expel');
  }

  /** bring, on the node where jobs of `home` run: send them back. */
  sendJobsOf(home: NodeId): Promise<MoveReport> {
    return this.adminMoves((j) => j.home === home, 'bring');
  }

  private async adminMoves(which: (j: JobCandidate) => boolean, what: string): Promise<MoveReport> {
    const mig = this.deps.migration();
    if (!mig) return { moved: [], failed: [], unreachable: [], note: `${what}: ${NO_MIGRATION}` };
    // No automatic move may race the admin's: wait for one in flight, hold the next ones.
    this.adminBusy++;
    try {
      for (let i = 0; this.inFlight && i < 600; i++) await new Promise((r) => setTimeout(r, 50));
      return await sendHome(mig, which, (key) => this.decidedAt.set(key, this.deps.clock()));
    } finally {
      this.adminBusy--;
    }
  }

  get trackedJobs(): number {
    return this.tracker.size;
  }
}
