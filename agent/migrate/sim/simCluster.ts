/**
 * Two simulated nodes and the network between them, running one scenario: job 1.100 runs
 * on node 1 and the admin migrates it to node 2, while the fault plan strikes. After the
 * faults, every agent is brought back and the link healed; then the job must run exactly
 * once (or not at all when the admin killed it), on the newest state, and nothing may stay
 * frozen. The invariant "at most one running copy" is checked after every event.
 */
import type { MoveOutcome } from '../orchestrator.js';
import { jobKey } from '../../../shared/domain/process.js';
import type { MigrationProgress } from '../../../shared/jobs/migrationProgress.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { RpcError } from '../../../shared/protocol/rpc.js';
import type { PeerLink } from '../ports.js';
import { SimNode, type Incarnation, type SimProc, type Universe } from './simNode.js';
import { clone, simLink } from './simLink.js';
import { Crash, World, type Fault, type PlannedFault, type StepRecord } from './world.js';

/** A partition lasts this long; a crashed agent is back after RESTART_MS. */
export const PARTITION_MS = 20_000;
export const RESTART_MS = 3000;
/** Virtual time a run goes on after its last fault: past the commit wait (30 s), the leftover sweep (60 s) and many settling retries. */
const SETTLE_MS = 3 * 60_000;

export const JOB = { home: 1, id: 100 };
const KEY = jobKey(JOB);

export interface RunResult {
  violations: string[];
  steps: StepRecord[];
  fired: PlannedFault[];
  outcome: string;
  adminReplies: string[];
  progress: MigrationProgress[];
  log: string[];
  moveOutcomes: MoveOutcome[];
}

export class SimCluster implements Universe {
  readonly world: World;
  readonly violations: string[] = [];
  readonly moveOutcomes: MoveOutcome[] = [];
  readonly nodes = new Map<number, SimNode>();
  private epoch = 1;
  private cutUntil = -1;
  private lastFaultAt = 0;
  /** The admin sent a KILL (whatever answer came back: it may have struck or been refused). */
  private killSent = false;
  outcome = 'the migrate command has not returned';
  private readonly inbound = new Map<Incarnation, Set<(e: Error) => void>>();

  /** What each admin command answered, in order ("CONT@1: EMOVING: ..."). */
  readonly adminReplies: string[] = [];

  /** Every progress report, in order ("dumping", "done" ...). */
  readonly progressSeen: MigrationProgress[] = [];

  /**
   * `adminAt`: admin commands at given virtual times, besides those the plan puts at steps.
   * `precopy`: the nodes' kernels track dirty pages, so the (big) job moves by pre-copy.
   */
  constructor(plan: PlannedFault[], private readonly adminAt: { at: number; fault: Fault }[] = [], precopy = false) {
    this.world = new World(plan);
    this.world.onWorldFault = (f, s) => this.worldFault(f, s);
    for (const id of [1, 2]) this.nodes.set(id, new SimNode(id, this, precopy));
  }

  progress(p: MigrationProgress): void {
    this.progressSeen.push(p);
  }

  resumed(node: number, p: SimProc): void {
    if (p.epoch !== this.epoch) this.violations.push(`t=${this.world.now}: a stale copy of job ${p.key} resumed on node ${node} (it holds state ${p.epoch}, the job has run on to ${this.epoch}): the job ran twice`);
    p.epoch = ++this.epoch;
  }

  killedLive(node: number, p: SimProc): void {
    if (!this.killSent) this.violations.push(`t=${this.world.now}: the running copy of job ${p.key} on node ${node} was killed, and no admin asked for it: the job is lost`);
  }

  link(self: number, inc: Incarnation): PeerLink {
    return simLink(this, self, inc);
  }

  node(id: number): SimNode {
    return this.nodes.get(id)!;
  }

  cut(): boolean {
    return this.world.now < this.cutUntil;
  }

  /** Calls back with an error for every request a node's agent is serving when it dies. */
  closers(inc: Incarnation): Set<(e: Error) => void> {
    const set = this.inbound.get(inc) ?? new Set();
    this.inbound.set(inc, set);
    return set;
  }

  private restartLater(id: number): void {
    this.world.after(RESTART_MS, () => {
      if (!this.node(id).inc) this.boot(id);
    });
  }

  private boot(id: number): void {
    this.node(id).boot();
  }

  /** A crash: requests being served there are answered by a closed connection. */
  crash(id: number): void {
    const inc = this.node(id).inc;
    if (!inc) return;
    this.node(id).kill();
    for (const close of this.inbound.get(inc) ?? []) close(new RpcError('ECLOSED', `connection to the agent of node ${id} was lost`));
    this.inbound.delete(inc);
    this.restartLater(id);
  }

  private worldFault(f: Fault, s: StepRecord): void {
    this.lastFaultAt = this.world.now;
    if (f === 'crash-other') this.world.after(0, () => this.crash(s.node === 1 ? 2 : 1));
    else if (f === 'partition') {
      this.cutUntil = this.world.now + PARTITION_MS;
      this.lastFaultAt += PARTITION_MS;
    } else this.world.after(0, () => void this.admin(f));
  }

  private async admin(f: Fault): Promise<void> {
    const [what, at] = f.slice('admin-'.length).split('@') as [string, string];
    const inc = this.node(Number(at)).inc;
    if (!inc) return;
    const ref = clone(JOB);
    const reply = (r: string) => this.adminReplies.push(`${what.toUpperCase()}@${at}: ${r}`);
    try {
      if (what === 'migrate' || what === 'migrate-home') {
        await inc.parts.orch.migrate({ ref }, what === 'migrate' ? 2 : 'home');
      } else if (what === 'renice') {
        await inc.parts.control.renice({ ref }, 5);
      } else {
        const sig = what.toUpperCase() as 'CONT' | 'STOP' | 'KILL';
        if (sig === 'KILL') this.killSent = true;
        await inc.parts.control.signal({ ref }, sig);
      }
      reply('ok');
    } catch (e) {
      // Refused or failed: what matters is that nothing ran twice, and that it says why.
      if (!(e instanceof Crash)) reply(`${(e as RpcError).code}: ${(e as Error).message}`);
    }
  }

  private copies(): { node: number; p: SimProc }[] {
    return [...this.nodes.values()].flatMap((n) => [...n.procs.values()].filter((p) => p.key === KEY).map((p) => ({ node: n.id, p })));
  }

  /** After every event: never two running copies. */
  private check(): void {
    const running = this.copies().filter((c) => c.p.state === 'running');
    if (running.length > 1) {
      const msg = `t=${this.world.now}: ${running.length} running copies (nodes ${running.map((c) => c.node).join(', ')})`;
      if (!this.violations.includes(msg)) this.violations.push(msg);
    }
  }

  /** What the admin's migrate command said must be true when it says it. */
  private async migrateCommand(): Promise<void> {
    const inc = this.node(1).inc!;
    try {
      await inc.parts.orch.migrate({ ref: clone(JOB) }, 2);
      this.outcome = 'moved';
      const at2 = this.copies().filter((c) => c.node === 2);
      if (!this.killSent && (at2.length !== 1 || at2[0]!.p.state === 'seized')) this.violations.push(`migrate said the job moved to node 2, but node 2 holds ${at2.length} copies`);
    } catch (e) {
      if (e instanceof Crash) return;
      const msg = (e as Error).message;
      this.outcome = `${(e as RpcError).code}: ${msg}`;
      if (/goes on here|stays here/.test(msg)) {
        const here = this.copies().filter((c) => c.node === 1);
        const rec = this.node(1).inc?.jobs.registry.get(KEY);
        if (!this.killSent && (here.length !== 1 || rec?.state === 'frozen')) this.violations.push(`migrate said the job goes on at node 1, but node 1 holds ${here.length} copies (record: ${rec?.state})`);
      }
    }
  }

  async run(): Promise<RunResult> {
    const home = this.node(1);
    const p = home.spawn(KEY, this.epoch, 'running');
    const rec: JobRecord = {
      ref: clone(JOB), argv: ['job'], cwd: '/home/u', mode: { kind: 'plain' }, dir: '/jobs/1.100', startedAt: 0,
      state: 'running', where: 0, pid: p.pid, pidStart: p.start, locked: false, migrations: 0,
    };
    home.writeFile(`/state/jobs/${KEY}.json`, JSON.stringify(rec));
    this.boot(1);
    this.boot(2);
    this.world.after(1000, () => void this.migrateCommand());
    for (const a of this.adminAt) this.world.after(a.at, () => void this.admin(a.fault));
    // Runs until the last fault is long past: every agent is back and the link healed by then.
    let horizon = 0;
    do {
      horizon = Math.max(this.lastFaultAt, this.world.now) + SETTLE_MS;
      await this.world.run(horizon, () => this.check());
    } while (this.lastFaultAt + SETTLE_MS > horizon);
    this.finalChecks();
    this.violations.push(...this.world.errors);
    return {
      violations: this.violations, steps: this.world.steps, fired: this.world.fired, outcome: this.outcome, adminReplies: this.adminReplies,
      progress: this.progressSeen,
      log: [...this.nodes.values()].flatMap((n) => (n.inc ? n.inc.log : [])),
      moveOutcomes: this.moveOutcomes,
    };
  }

  private finalChecks(): void {
    const copies = this.copies();
    const say = (m: string): void => void this.violations.push(`at the end: ${m}`);
    if (this.killSent && copies.length === 0) return;
    if (copies.length !== 1) return say(`${copies.length} copies of the job (${copies.map((c) => `node ${c.node}: ${c.p.state}`).join('; ') || 'none: it was lost'})`);
    const { node, p } = copies[0]!;
    const want = p.adminStopped ? 'stopped' : 'running';
    if (p.state !== want) say(`the one copy, on node ${node}, is ${p.state}, not ${want}${p.adminStopped ? ' (the admin stopped it)' : ': it stays frozen for good'}`);
    if (p.epoch !== this.epoch && p.state === 'running') say(`the copy on node ${node} does not hold the job's newest state`);
    const r = this.node(node).inc?.jobs.registry.get(KEY);
    if (!r || r.where !== 0 || r.pid !== p.pid || r.state !== want) say(`node ${node}'s record of the job says ${r ? `${r.state}, where ${r.where}, pid ${r.pid}` : 'nothing'}, but the job runs there as pid ${p.pid}`);
    const homeRec = this.node(1).inc?.jobs.registry.get(KEY);
    if (node !== 1 && (homeRec?.where !== node || homeRec.state !== 'away')) say(`the home node's record says ${homeRec ? `${homeRec.state}, where ${homeRec.where}` : 'nothing'}, but the job runs on node ${node}`);
  }
}
