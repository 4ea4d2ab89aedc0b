/**
 * One node for unit tests of a side of the migration protocol (orchestrator.test.ts,
 * targetSide*.test.ts): its state directory, processes and CRIU in memory, each able to fail
 * on demand, under the simulation's virtual clock (sim/world.ts). The job registry and the
 * local steps on top are the real ones, as in the protocol simulation, with every step call
 * written to `events` so a test can check the order; each side of the protocol on such a node,
 * and the other side as a stand-in, are in migrationSides.test-util.ts. Nothing touches the
 * real disk, processes or clock.
 */
import { posix } from 'node:path';
import type { CriuFacts } from '../../shared/jobs/targetFacts.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { Checkpointer, ImageFile, ProcessHost, StateFiles } from '../jobs/host.js';
import type { PageChannel, PagesSeen } from '../jobs/pageChannel.js';
import { JobsService } from '../jobs/jobsService.js';
import { LocalSteps } from './localSteps.js';
import type { Clock } from './ports.js';
import { World } from './sim/world.js';

export const STATE = '/state';
/** The memory of every test job, in bytes. */
export const PAGE_BYTES = 4096;
export const TEST_CRIU: CriuFacts = { path: '/test/criu', version: '4.1.1', preDump: false };

/** The state directory; `failWhen` makes a write or append throw ENOSPC, as a full disk does. */
export class MemDisk implements StateFiles {
  readonly files = new Map<string, string>();
  failWhen: (op: 'write' | 'append', path: string, text: string) => boolean = () => false;
  private readonly dirs = new Set<string>();

  constructor(private readonly events: string[]) {}

  private full(op: 'write' | 'append', path: string, text: string): void {
    if (this.failWhen(op, path, text)) throw Object.assign(new Error('ENOSPC: no space left on device (test)'), { code: 'ENOSPC' });
  }

  write(path: string, text: string): void {
    this.full('write', path, text);
    this.put(path, text);
  }

  append(path: string, text: string): void {
    this.full('append', path, text);
    this.put(path, (this.files.get(path) ?? '') + text);
    this.events.push(`append ${posix.basename(path)}`);
  }

  put(path: string, text: string): void {
    for (let d = posix.dirname(path); d !== '/'; d = posix.dirname(d)) this.dirs.add(d);
    this.files.set(path, text);
  }

  read(path: string): string | undefined {
    return this.files.get(path);
  }

  list(dir: string): string[] {
    const pre = `${dir}/`;
    const names = [...this.files.keys(), ...this.dirs].filter((p) => p.startsWith(pre)).map((p) => p.slice(pre.length).split('/')[0]!);
    return [...new Set(names)];
  }

  mkdir(dir: string): void {
    for (let d = dir; d !== '/'; d = posix.dirname(d)) this.dirs.add(d);
  }

  remove(path: string): void {
    for (const p of [...this.files.keys()]) if (p === path || p.startsWith(`${path}/`)) this.files.delete(p);
    for (const d of [...this.dirs]) if (d === path || d.startsWith(`${path}/`)) this.dirs.delete(d);
  }

  has(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }

  images(dir: string): ImageFile[] {
    return [...this.files].filter(([p]) => p.startsWith(`${dir}/`)).map(([p, t]) => ({ name: p.slice(dir.length + 1), size: t.length }));
  }

  mtime(path: string): number {
    return this.files.has(path) ? this.mtimeOf(path) : 0;
  }

  /** When files were last changed (a test sets it to make a directory look fresh or old). */
  mtimeOf: (path: string) => number = () => 0;
}

/** The node's processes: running or stopped, by PID; every signal is written to `events`. */
export class FakeProcs implements ProcessHost {
  readonly procs = new Map<number, 'running' | 'stopped'>();
  private next = 500;

  constructor(private readonly events: string[]) {}

  spawn(state: 'running' | 'stopped'): number {
    const pid = this.next++;
    this.procs.set(pid, state);
    return pid;
  }

  alive = (pid: number | undefined) => pid !== undefined && this.procs.has(pid);
  startTime = (pid: number) => (this.procs.has(pid) ? 1 : undefined);
  tree = (pid: number) => [pid];
  signal = (pids: readonly number[], sig: 'SIGCONT' | 'SIGSTOP' | 'SIGKILL') => {
    this.events.push(`${sig} ${pids.join(',')}`);
    for (const pid of pids) {
      if (!this.procs.has(pid)) continue;
      if (sig === 'SIGKILL') this.procs.delete(pid);
      else this.procs.set(pid, sig === 'SIGCONT' ? 'running' : 'stopped');
    }
    return pids.filter((p) => this.procs.has(p) || sig === 'SIGKILL').length;
  };
  stopped = (pids: readonly number[]) => pids.filter((p) => this.procs.get(p) === 'stopped');
  renice = (pids: readonly number[], nice: number) => void this.events.push(`renice ${pids.join(',')} ${nice}`);
  openFiles = () => [];
  adoptAffinity = () => undefined;
}

/** CRIU: dumps stop the process and write two images; restores start a stopped one. */
export class FakeCriu implements Checkpointer {
  dumpError: string | undefined;
  restoreError: string | undefined;
  /** While set, a restore waits for it (to let something happen during a restore). */
  restoreGate: Promise<void> | undefined;

  constructor(private readonly disk: MemDisk, private readonly procs: FakeProcs, private readonly events: string[]) {}

  facts = async () => TEST_CRIU;

  /** With a page channel, the memory (4096 bytes) goes through it instead of into `dir`, as with the real CRIU. */
  async dump(pid: number, dir: string, opts: { pages?: PageChannel } = {}): Promise<{ ms: number; pages?: PagesSeen }> {
    this.events.push(`criu dump ${pid}`);
    if (this.dumpError) throw new Error(this.dumpError);
    this.procs.procs.set(pid, 'stopped');
    this.disk.put(`${dir}/core.img`, 'core');
    if (opts.pages) return { ms: 100, pages: { bytes: PAGE_BYTES } };
    this.disk.put(`${dir}/pages-1.img`, 'x'.repeat(PAGE_BYTES));
    return { ms: 100 };
  }

  /** The target's page server: the source's memory arrives whole. */
  async pageServer(dir: string): Promise<{ ms: number; pages: PagesSeen }> {
    this.events.push('criu page-server');
    this.disk.put(`${dir}/pages-1.img`, 'x'.repeat(PAGE_BYTES));
    return { ms: 100, pages: { bytes: PAGE_BYTES } };
  }

  async restore(dir: string): Promise<{ pid: number; ms: number }> {
    this.events.push('criu restore');
    await this.restoreGate;
    if (this.restoreError) throw new Error(this.restoreError);
    const pid = this.procs.spawn('stopped');
    this.disk.put(`${dir}/restored.pid`, `${pid}\n`);
    return { pid, ms: 150 };
  }
}

/** Calls to the local steps, by name, into `events`; the real steps do the work. */
function spied(steps: LocalSteps, events: string[]): LocalSteps {
  return new Proxy(steps, {
    get(target, name, receiver) {
      const v: unknown = Reflect.get(target, name, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        events.push(`steps.${String(name)}`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export interface TestNode {
  id: number;
  world: World;
  clock: Clock;
  disk: MemDisk;
  procs: FakeProcs;
  criu: FakeCriu;
  jobs: JobsService;
  steps: LocalSteps;
  /** Step calls, signals and commit-log appends, in order. */
  events: string[];
  log: string[];
  /** Lets virtual time pass, running every timer and sleep that falls due. */
  advance(ms: number): Promise<void>;
  /** Let every promise that can settle settle. */
  settle(): Promise<void>;
  /** The agent dies: its timers and sleeps never fire (its disk and processes stay). */
  stop(): void;
}

/** Node `id`; `restartOf` gives a new agent on an earlier one's disk, processes and clock. */
export function testNode(id: number, restartOf?: TestNode): TestNode {
  const events = restartOf?.events ?? [];
  const world = restartOf?.world ?? Object.assign(new World(), { now: 1_000_000 });
  const disk = restartOf?.disk ?? new MemDisk(events);
  const procs = restartOf?.procs ?? new FakeProcs(events);
  const criu = restartOf?.criu ?? new FakeCriu(disk, procs, events);
  restartOf?.stop();
  const log: string[] = [];
  let alive = true;
  const jobs = new JobsService({
    stateDir: STATE, mapNodeId: () => id, host: procs, files: disk, checkpointer: criu,
    config: { jobsDir: '/jobs', sharedRoots: ['/'], localRoots: [], blockGuests: false, criuTimeoutMs: 10_000 },
    log: (m) => log.push(m),
  });
  const clock: Clock = {
    now: () => world.now,
    sleep: (ms) => new Promise((r) => world.after(ms, () => alive && r())),
    timer: (fn, ms) => world.after(ms, () => alive && fn()),
  };
  return {
    id, world, clock, disk, procs, criu, jobs, events, log,
    steps: spied(new LocalSteps(jobs, clock.now), events),
    advance: async (ms) => {
      const until = world.now + ms;
      await world.run(until, () => {});
      world.now = until; // the world's clock moves only with its events
    },
    settle: () => world.run(world.now, () => {}),
    stop: () => (alive = false),
  };
}

/** A mosrun job of node `home`, as its record says while it runs here. */
export function jobRecord(over: Partial<JobRecord> = {}): JobRecord {
  return {
    ref: { home: 1, id: 100 }, argv: ['/bin/crunch'], cwd: '/home/u', mode: { kind: 'plain' }, dir: '/jobs/1.100', startedAt: 1,
    state: 'running', where: 0, locked: false, migrations: 0, ...over,
  };
}

/** Starts job 1.100 (or `over`) running on `node`; its record as written. */
export function runJob(node: TestNode, over: Partial<JobRecord> = {}): JobRecord {
  return node.jobs.registry.put(jobRecord({ pid: node.procs.spawn('running'), pidStart: 1, ...over }));
}
