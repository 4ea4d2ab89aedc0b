/**
 * The simulated world of the migration protocol: one virtual clock and event queue for
 * every node, a numbered "step" for every effect an agent has on the world (a message
 * sent, a file written, a CRIU call, a signal), and a fault plan that strikes at chosen
 * steps. Nothing here is random: a run is fully decided by its plan, so any failure can be
 * replayed from the plan it prints.
 */

/** What an agent does to the world at a step. */
export type StepKind =
  | 'net.request'
  | 'net.sendFiles'
  | 'net.openPages'
  | 'transfer.write'
  | 'pages.write'
  | 'disk.write'
  | 'disk.append'
  | 'criu.dump'
  | 'criu.restore'
  | 'signal';

export type Fault =
  /** The acting node's agent dies just before / just after the effect (it restarts later). */
  | 'crash-before'
  | 'crash-after'
  /** The other node's agent dies at this moment. */
  | 'crash-other'
  /** The effect fails as it would for real: a full disk, CRIU failing, a transfer refused. */
  | 'fail'
  /** A request that never arrives; an answer that never comes back. */
  | 'drop-request'
  | 'drop-answer'
  /** The link between the nodes is cut for a while, starting now. */
  | 'partition'
  /** An admin's command arriving at this moment (from the migrate tool, the GUI or the API). */
  | 'admin-cont@1' | 'admin-cont@2' | 'admin-stop@1' | 'admin-stop@2' | 'admin-kill@1' | 'admin-kill@2'
  | 'admin-renice@1' | 'admin-migrate@1' | 'admin-migrate-home@2';

export const ADMIN_FAULTS: Fault[] = [
  'admin-cont@1', 'admin-cont@2', 'admin-stop@1', 'admin-stop@2', 'admin-kill@1', 'admin-kill@2',
  'admin-renice@1', 'admin-migrate@1', 'admin-migrate-home@2',
];
const ANY_STEP: Fault[] = ['crash-before', 'crash-after', 'crash-other', 'partition', ...ADMIN_FAULTS];
const BY_KIND: Record<StepKind, Fault[]> = {
  'net.request': ['drop-request', 'drop-answer'],
  'net.sendFiles': ['fail', 'drop-request'],
  'net.openPages': ['fail', 'drop-request'],
  'transfer.write': ['fail'],
  'pages.write': ['fail'],
  'disk.write': ['fail'],
  'disk.append': ['fail'],
  'criu.dump': ['fail'],
  'criu.restore': ['fail'],
  signal: [],
};

/** Every fault that can strike a step of this kind. */
export function faultsFor(kind: StepKind): Fault[] {
  return [...ANY_STEP, ...BY_KIND[kind]];
}

export interface PlannedFault {
  step: number;
  fault: Fault;
}

export interface StepRecord {
  n: number;
  at: number;
  node: number;
  kind: StepKind;
  what: string;
}

/** The agent of a node died: its code stops at the next thing it does to the world. */
export class Crash extends Error {
  constructor(readonly node: number) {
    super(`node ${node}'s agent crashed (simulated)`);
  }
}

interface Event {
  at: number;
  seq: number;
  run: () => void;
}

export class World {
  now = 0;
  private seq = 0;
  private events: Event[] = [];
  readonly steps: StepRecord[] = [];
  private readonly plan = new Map<number, Fault[]>();
  readonly fired: PlannedFault[] = [];
  /** Exceptions that escaped the code under test (not crashes). */
  readonly errors: string[] = [];
  /** Calls back when a step has a fault that the world itself carries out (crash-other, admin, partition). */
  onWorldFault: (f: Fault, step: StepRecord) => void = () => {};

  constructor(plan: PlannedFault[] = []) {
    for (const p of plan) this.plan.set(p.step, [...(this.plan.get(p.step) ?? []), p.fault]);
  }

  /** Runs `run` after `delay` ms of virtual time; the result cancels it. */
  after(delay: number, run: () => void): () => void {
    const ev: Event = { at: this.now + Math.max(0, delay), seq: this.seq++, run };
    this.events.push(ev);
    return () => {
      ev.run = () => {};
    };
  }

  /**
   * Step `kind` by `node`: returns the fault (of those its kind can suffer) that strikes
   * it, if any; faults the world carries out itself are started here.
   */
  step(node: number, kind: StepKind, what: string): Fault | undefined {
    const rec: StepRecord = { n: this.steps.length, at: this.now, node, kind, what };
    this.steps.push(rec);
    const planned = this.plan.get(rec.n) ?? [];
    let own: Fault | undefined;
    for (const f of planned) {
      if (!faultsFor(kind).includes(f)) continue;
      this.fired.push({ step: rec.n, fault: f });
      if (f === 'crash-other' || f === 'partition' || f.startsWith('admin-')) this.onWorldFault(f, rec);
      else own = f;
    }
    return own;
  }

  /** Lets every promise that can settle settle (no real timers or I/O run in a simulation). */
  async quiesce(): Promise<void> {
    await new Promise((r) => setImmediate(r));
  }

  /** Runs events in time order until none is left before `until`; `check` after each. */
  async run(until: number, check: () => void): Promise<void> {
    for (;;) {
      await this.quiesce();
      check();
      let best = -1;
      for (let i = 0; i < this.events.length; i++) {
        const e = this.events[i]!;
        const b = this.events[best];
        if (!b || e.at < b.at || (e.at === b.at && e.seq < b.seq)) best = i;
      }
      const ev = this.events[best];
      if (!ev || ev.at > until) return;
      this.events.splice(best, 1);
      this.now = Math.max(this.now, ev.at);
      try {
        ev.run();
      } catch (e) {
        // An agent that crashed stops where it was; anything else is a bug the run reports.
        if (!(e instanceof Crash)) this.errors.push(`t=${this.now}: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }
}
