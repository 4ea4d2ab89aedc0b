/**
 * CRIU in the simulation. It runs as a program of its own: once started, a dump or a
 * restore finishes even if the agent that started it dies. A dump with a page channel sends
 * the job's memory to the target's page server as it dumps: the pages land in the target's
 * migration directory only if that page server (and its agent) is still there, else the
 * dump fails, as CRIU's does when its page server goes away.
 */
import type { CriuFacts } from '../../../shared/jobs/targetFacts.js';
import type { Checkpointer } from '../../jobs/host.js';
import type { PageChannel, PagesSeen } from '../../jobs/pageChannel.js';
import { Crash } from './world.js';
import type { Incarnation, SimNode } from './simNode.js';

export const DUMP_MS = 120;
export const RESTORE_MS = 150;
const MiB = 1024 * 1024;
/** The job's memory in a pre-copy scenario, and the share of it it dirties between rounds. */
export const SIM_JOB_BYTES = 512 * MiB;
const DIRTY_SHARE = 0.4;

/** The page channel of one migration between two simulated nodes. */
export class SimPageChannel implements PageChannel {
  sent = 0;
  closed = false;
  /** The target's page server, once it runs. */
  server: { node: SimNode; inc: Incarnation; dir: string; done: (p: PagesSeen | Error) => void } | undefined;

  constructor(
    readonly id: string,
    /** True while the link between the two nodes is cut. */
    private readonly cut: () => boolean,
  ) {}

  bytes(): number {
    return this.sent;
  }

  close(): void {
    this.closed = true;
    this.server?.done(new Error('the page channel was closed'));
  }

  /** Delivers the dumped pages to the page server; the reason when they cannot be delivered. */
  deliver(pages: string, bytes = pages.length): PagesSeen | Error {
    const s = this.server;
    if (!s || this.closed || !s.inc.alive || this.cut()) return new Error('the page server went away (its agent or the link is gone)');
    try {
      s.node.receivePages(s.inc, s.dir, pages);
    } catch (e) {
      s.done(e instanceof Crash ? new Error('the page server went away (its agent crashed)') : (e as Error));
      // As real CRIU: the dump only sees its page server go away, not why.
      return new Error("page-xfer: The page server doesn't answer");
    }
    this.sent = bytes;
    const seen = { bytes };
    s.done(seen);
    return seen;
  }
}

/** `tracksDirty`: the node's kernel tracks dirty pages, so its CRIU can pre-copy. */
export function simCheckpointer(node: SimNode, inc: Incarnation, tracksDirty = false): Checkpointer {
  const criu: CriuFacts = { path: '/sim/criu', version: '4.1.1', preDump: tracksDirty };
  /** Pre-copy rounds of each migration so far (by its image directory's parent). */
  const rounds = new Map<string, number>();
  /** A memory pass while the job runs on: it is not stopped, its pages go to the target. */
  const passWhileRunning = (f: ReturnType<SimNode['step']>, pid: number, dir: string, ch: SimPageChannel): Promise<{ ms: number; pages: PagesSeen }> => {
    const done = new Promise<{ ms: number; pages: PagesSeen }>((resolve, reject) => {
      node.world.after(DUMP_MS, () => {
        const p = node.procs.get(pid);
        if (f === 'fail' || !p) return void (inc.alive && reject(new Error(`Pre-copy of the job failed on node ${node.id}`)));
        const parent = dir.slice(0, dir.lastIndexOf('/'));
        const n = (rounds.get(parent) ?? 0) + 1;
        rounds.set(parent, n);
        const r = ch.deliver(JSON.stringify({ key: p.key, round: n }), Math.round(SIM_JOB_BYTES * DIRTY_SHARE ** (n - 1)));
        if (r instanceof Error) return void (inc.alive && reject(new Error(`Pre-copy of the job failed on node ${node.id}: ${r.message}`)));
        if (inc.alive) resolve({ ms: DUMP_MS, pages: r });
      });
    });
    node.after(f);
    return done;
  };
  return {
    facts: async () => (node.live(inc), criu),
    dump: (pid, dir, opts) => {
      const f = node.step(inc, 'criu.dump', `${opts.pre ? 'pre-dump' : 'dump'} ${pid} into ${dir}`);
      const p = node.procs.get(pid);
      if (!p) return Promise.reject(new Error(`Checkpoint of the job failed: no process ${pid}`));
      if (opts.pre) return passWhileRunning(f, p.pid, dir, opts.pages as SimPageChannel);
      const before = p.state;
      p.state = 'seized';
      const done = new Promise<{ ms: number; pages?: PagesSeen }>((resolve, reject) => {
        node.world.after(DUMP_MS, () => {
          const fail = (why: string) => {
            if (node.procs.has(pid)) p.state = before;
            if (inc.alive) reject(new Error(`Checkpoint of the job failed on node ${node.id}: ${why}`));
          };
          if (f === 'fail' || !node.procs.has(pid)) return fail('simulated CRIU failure');
          const pagesText = JSON.stringify({ key: p.key, epoch: p.epoch });
          let pages: PagesSeen | undefined;
          if (opts.pages) {
            // After pre-copy, only what the job dirtied since the last round.
            const parent = dir.slice(0, dir.lastIndexOf('/'));
            const n = rounds.get(parent) ?? 0;
            const r = (opts.pages as SimPageChannel).deliver(pagesText, n ? Math.round(SIM_JOB_BYTES * DIRTY_SHARE ** n) : undefined);
            if (r instanceof Error) return fail(r.message);
            pages = r;
          } else {
            node.writeFile(`${dir}/pages-1.img`, pagesText);
          }
          p.state = 'stopped';
          node.writeFile(`${dir}/core.img`, JSON.stringify({ key: p.key, epoch: p.epoch, adminStopped: p.adminStopped }));
          if (inc.alive) resolve({ ms: DUMP_MS, ...(pages ? { pages } : {}) });
        });
      });
      node.after(f);
      return done;
    },
    pageServer: (dir, channel) => {
      node.live(inc);
      const ch = channel as SimPageChannel;
      return new Promise((resolve, reject) => {
        ch.server = { node, inc, dir, done: (r) => (r instanceof Error ? reject(r) : resolve({ ms: DUMP_MS, pages: r })) };
      });
    },
    restore: (dir) => {
      const f = node.step(inc, 'criu.restore', `restore from ${dir}`);
      const done = new Promise<{ pid: number; ms: number }>((resolve, reject) => {
        node.world.after(RESTORE_MS, () => {
          const core = node.files.get(`${dir}/core.img`);
          const pages = node.files.get(`${dir}/pages-1.img`);
          const img = core && pages ? (JSON.parse(core) as { key: string; epoch: number; adminStopped: boolean }) : undefined;
          if (f === 'fail' || !img || (JSON.parse(pages!) as { epoch: number }).epoch !== img.epoch) {
            if (inc.alive) reject(new Error(`Restore of the job failed on node ${node.id}: ${img ? 'simulated CRIU failure' : 'images missing'}`));
            return;
          }
          const p = node.spawn(img.key, img.epoch, 'stopped', img.adminStopped);
          node.writeFile(`${dir}/restored.pid`, String(p.pid));
          if (inc.alive) resolve({ pid: p.pid, ms: RESTORE_MS });
        });
      });
      node.after(f);
      return done;
    },
  };
}
