/**
 * A simulated node: a disk that survives its agent, a process table (the job's copies),
 * and its agent's incarnations. Each incarnation gets deterministic stand-ins for the
 * clock, the processes, CRIU and the state directory, and runs the real migration parts
 * (migrationParts) on a real JobsService. When it crashes, everything it would still do to
 * the world throws Crash (sync) or never happens (async); the processes and the disk stay.
 */
import type { MoveOutcome } from '../orchestrator.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { JobsService } from '../../jobs/jobsService.js';
import type { ImageFile, ProcessHost, StateFiles } from '../../jobs/host.js';
import { SIM_JOB_BYTES, simCheckpointer } from './simCriu.js';
import type { MigrationProgress } from '../../../shared/jobs/migrationProgress.js';
import { migrationParts, type MigrationParts } from '../migrationParts.js';
import type { Clock, PeerLink } from '../ports.js';
import { Crash, type Fault, type StepKind, type World } from './world.js';
import { SimDisk } from './simDisk.js';

export interface SimProc {
  pid: number;
  key: string;
  /** Which point of the job's one history this copy holds (see Universe.resumed). */
  epoch: number;
  state: 'running' | 'stopped' | 'seized';
  /** Stopped by the admin's SIGSTOP (only the admin sends one), carried through checkpoints. */
  adminStopped: boolean;
  start: number;
}

/** What the whole simulation knows about the job, across nodes. */
export interface Universe {
  world: World;
  violations: string[];
  /** What the orchestrator reported for each move (the agent's metrics count these). */
  moveOutcomes: MoveOutcome[];
  /** Called when a copy of the job starts running: it must hold the job's newest state. */
  resumed(node: number, p: SimProc): void;
  /** Called when a running copy is killed (only the admin may do that). */
  killedLive(node: number, p: SimProc): void;
  link(node: number, inc: Incarnation): PeerLink;
  /** The node's agent dies (and is restarted later). */
  crash(node: number): void;
  /** A migration's progress, as the agent broadcasts it. */
  progress(p: MigrationProgress): void;
}

export interface Incarnation {
  n: number;
  alive: boolean;
  jobs: JobsService;
  parts: MigrationParts;
  log: string[];
}

class SimError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class SimNode {
  readonly disk = new SimDisk();
  readonly procs = new Map<number, SimProc>();
  inc: Incarnation | undefined;
  private incs = 0;
  private nextPid = 100;
  private nextStart = 1;

  /** `tracksDirty`: the node's kernel tracks dirty pages (its migrations may pre-copy). */
  constructor(readonly id: number, private readonly u: Universe, private readonly tracksDirty = false) {}

  get world(): World {
    return this.u.world;
  }

  spawn(key: string, epoch: number, state: SimProc['state'], adminStopped = false): SimProc {
    const p = { pid: this.nextPid++, key, epoch, state, adminStopped, start: this.nextStart++ };
    this.procs.set(p.pid, p);
    return p;
  }

  /** A step of this node's agent `inc`: the fault that strikes it (crash-before throws). */
  step(inc: Incarnation, kind: StepKind, what: string): Fault | undefined {
    if (!inc.alive) throw new Crash(this.id);
    const f = this.world.step(this.id, kind, what);
    if (f === 'crash-before') {
      this.u.crash(this.id);
      throw new Crash(this.id);
    }
    return f;
  }

  /** After the effect of a step struck by crash-after. */
  after(f: Fault | undefined): void {
    if (f === 'crash-after') {
      this.u.crash(this.id);
      throw new Crash(this.id);
    }
  }

  live(inc: Incarnation): void {
    if (!inc.alive) throw new Crash(this.id);
  }

  /** Marks the agent dead (SimCluster.crash also closes its connections and restarts it). */
  kill(): void {
    if (!this.inc?.alive) return;
    this.inc.alive = false;
    this.inc = undefined;
  }

  /** A new agent on this node: it recovers from what the disk and the processes say. */
  boot(): Incarnation {
    const inc = { n: ++this.incs, alive: true, log: [] } as unknown as Incarnation;
    const log = (m: string) => inc.log.push(`${this.world.now} n${this.id}#${inc.n}: ${m}`);
    inc.jobs = new JobsService({
      stateDir: '/state',
      mapNodeId: () => this.id,
      host: this.host(inc),
      files: this.stateFiles(inc),
      checkpointer: simCheckpointer(this, inc, this.tracksDirty),
      config: { jobsDir: '/jobs', sharedRoots: ['/'], localRoots: [], blockGuests: false, criuTimeoutMs: 10_000 },
      log,
    });
    const link = this.u.link(this.id, inc);
    inc.parts = migrationParts({
      jobs: inc.jobs, stateDir: '/state', clock: this.clock(inc), link: () => link,
      blocksGuests: () => false, bestNode: () => undefined, log,
      onOutcome: (o) => this.u.moveOutcomes.push(o),
      jobBytes: () => SIM_JOB_BYTES,
      progress: (p) => this.u.progress(p),
    });
    this.inc = inc;
    inc.parts.recover();
    const tick = () => {
      if (!inc.alive) return;
      try {
        inc.jobs.poll();
      } catch (e) {
        if (!(e instanceof Crash)) this.u.violations.push(`node ${this.id}: the once-a-second poll threw: ${(e as Error).message}`);
      }
      this.world.after(1000, tick);
    };
    this.world.after(1000, tick);
    return inc;
  }

  private clock(inc: Incarnation): Clock {
    return {
      now: () => this.world.now,
      sleep: (ms) => new Promise((r) => this.world.after(ms, () => inc.alive && r())),
      timer: (fn, ms) =>
        this.world.after(ms, () => {
          if (!inc.alive) return;
          try {
            fn();
          } catch (e) {
            if (!(e instanceof Crash)) this.u.violations.push(`node ${this.id}: a timer threw: ${(e as Error).message}`);
          }
        }),
    };
  }

  private host(inc: Incarnation): ProcessHost {
    const get = (pid: number | undefined) => (pid === undefined ? undefined : this.procs.get(pid));
    return {
      alive: (pid, start) => (this.live(inc), !!get(pid) && (start === undefined || get(pid)!.start === start)),
      startTime: (pid) => (this.live(inc), get(pid)?.start),
      tree: (pid) => (this.live(inc), [pid]),
      signal: (pids, sig) => {
        const f = this.step(inc, 'signal', `${sig} ${pids.join(',')}`);
        let n = 0;
        for (const pid of pids) {
          const p = get(pid);
          if (!p) continue;
          n++;
          if (sig === 'SIGKILL') {
            if (p.state === 'running') this.u.killedLive(this.id, p);
            this.procs.delete(pid);
          } else if (sig === 'SIGSTOP') {
            if (p.state === 'running') p.state = 'stopped';
            p.adminStopped = true;
          } else if (sig === 'SIGCONT') {
            p.adminStopped = false;
            if (p.state === 'stopped') {
              p.state = 'running';
              this.u.resumed(this.id, p);
            }
          }
        }
        this.after(f);
        return n;
      },
      stopped: (pids) => (this.live(inc), pids.filter((p) => get(p)?.state === 'stopped')),
      renice: () => this.live(inc),
      openFiles: () => (this.live(inc), []),
      adoptAffinity: () => this.live(inc),
    };
  }

  get files(): Map<string, string> {
    return this.disk.files;
  }

  writeFile(path: string, text: string): void {
    this.disk.write(path, text);
  }

  private stateFiles(inc: Incarnation): StateFiles {
    const full = () => new SimError('ENOSPC', 'ENOSPC: no space left on device (simulated full disk)');
    return {
      write: (path, text) => {
        const f = this.step(inc, 'disk.write', path);
        if (f === 'fail') throw full();
        this.writeFile(path, text);
        this.after(f);
      },
      append: (path, text) => {
        const f = this.step(inc, 'disk.append', path);
        if (f === 'fail') throw full();
        this.writeFile(path, (this.files.get(path) ?? '') + text);
        this.after(f);
      },
      read: (path) => (this.live(inc), this.files.get(path)),
      list: (dir) => (this.live(inc), this.disk.list(dir)),
      mkdir: (dir) => (this.live(inc), this.disk.mkdirs(dir)),
      remove: (path) => (this.live(inc), this.disk.remove(path)),
      images: (dir): ImageFile[] => (this.live(inc), this.disk.images(dir)),
      mtime: (path) => (this.live(inc), this.files.has(path) ? this.world.now : 0),
    };
  }

  /** Receives a transfer's files on this node's disk (the receiving agent writes them). */
  receive(inc: Incarnation, dir: string, files: [string, string][]): void {
    for (const [name, text] of files) {
      const f = this.step(inc, 'transfer.write', `${dir}/${name}`);
      if (f === 'fail') throw new SimError('ENOSPC', `the disk for checkpoint images on node ${this.id} is full (simulated)`);
      this.writeFile(`${dir}/${name}`, text);
      this.after(f);
    }
  }

  /** The page server here writes the pages that came through a page channel. */
  receivePages(inc: Incarnation, dir: string, pages: string): void {
    const f = this.step(inc, 'pages.write', `${dir}/pages-1.img`);
    if (f === 'fail') throw new SimError('ENOSPC', `the disk for checkpoint images on node ${this.id} is full (simulated)`);
    this.writeFile(`${dir}/pages-1.img`, pages);
    this.after(f);
  }

  /** Reads the job record straight from this node's disk (what a restarted agent would find). */
  record(key: string): JobRecord | undefined {
    const t = this.files.get(`/state/jobs/${key}.json`);
    return t ? (JSON.parse(t) as JobRecord) : undefined;
  }
}
