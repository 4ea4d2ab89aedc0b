/**
 * The running collector: once a second it records every node the cluster view knows,
 * once a minute the process list of every node (its agent asks them, agent/history/clusterProcs.ts), and once a day it saves the history
 * as a dated backup. The store syncs every second, so a crash loses at most that second.
 * Nothing stops it but `stop`: a second that cannot be written is a gap, a rotation that
 * fails is tried again, and each kind of failure is logged once until it works again.
 * Each second also goes through the alert rules (alerts/collectorAlerts.ts), with no GUI needed.
 */
import { msToNextTick } from './tickClock.js';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';
import { NO_IO, type HistoryNodeSample } from '../../shared/history/types.js';
import { HistoryWriter, INDEX_FILE, type DerivedFile } from './store/historyWriter.js';
import { deleteExpired, saveCurrent, shouldRotate } from './store/rotation.js';
import { SUMMARY_FILE } from './store/summaryFile.js';
import { describeWriteError, HistoryWriteError } from './store/writeErrors.js';
import { ProblemLog, type ProblemReport } from './problemLog.js';
import type { ClusterViewSource } from './clusterViewSource.js';
import type { CollectorPaths, CollectorSettings } from './config.js';
import type { CollectorRequests } from './control.js';
import { nodeIo, type WriteIo } from './store/writeIo.js';
import { CollectorAlerts } from './alerts/collectorAlerts.js';

export function toHistorySample(n: ClusterViewNode): HistoryNodeSample {
  const s = n.status === 'up' ? n.sample : undefined;
  if (!s) return { id: n.id, up: false, load: 0, cpus: 0, speed: 0, util: 0, tmemKb: 0, rmemKb: 0, memKb: 0, ...NO_IO };
  const io = s.io;
  return {
    id: n.id, up: true, load: s.load, cpus: s.cpus, speed: s.speed, util: s.util,
    tmemKb: s.mem.totalKb, rmemKb: s.mem.freeKb, memKb: s.mem.availableKb,
    // Not measured is recorded as 0 (docs/HISTORY.md): the format has no "unknown".
    diskReadBps: io?.diskReadBps ?? 0, diskWriteBps: io?.diskWriteBps ?? 0, netRxBps: io?.netRxBps ?? 0, netTxBps: io?.netTxBps ?? 0,
  };
}

/** A rotation that failed is tried again after this long; the history goes on being recorded meanwhile. */
export const ROTATION_RETRY_MS = 60_000;

const LAGGING: Record<DerivedFile, string> = {
  index: `the index (${INDEX_FILE}) is behind: checkpoints and process lists recorded meanwhile are found again once it can be written`,
  summary: `the minute summaries (${SUMMARY_FILE}) are behind: charts read those minutes from their seconds until they can be written`,
};

export class Collector {
  private writer: HistoryWriter;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private server: Server | undefined;
  /** The ticks being recorded, one after another; `behind` is the due time of one that came meanwhile. */
  private recording: Promise<void> | undefined;
  private behind: number | undefined;
  private procsPending: Promise<void> | undefined;
  private stopped = false;
  private lastProcs = 0;
  private namesKey = '';
  private readonly problems: ProblemLog;
  private rotationRetryAt = 0;
  /** The old history is saved (renamed) but a new one could not be started: the old writer records on, into the backup. */
  private savedAs: { name: string | undefined } | undefined;
  private readonly alerts: CollectorAlerts;

  constructor(
    private readonly paths: CollectorPaths,
    private readonly settings: CollectorSettings,
    private readonly source: ClusterViewSource,
    private readonly log: (s: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
    private readonly io: WriteIo = nodeIo,
  ) {
    this.problems = new ProblemLog(log);
    this.alerts = new CollectorAlerts(settings.alerts, { record: (m) => this.writer.writeAlert(m), log, configFile: paths.config });
    try {
      this.writer = this.openWriter();
    } catch (e) {
      throw new Error(`cannot start recording: ${(e as Error).message}; then start the collector again ("mosixcollector -d")`);
    }
  }

  private openWriter(): HistoryWriter {
    const w = HistoryWriter.open(this.paths.current, hostname(), this.now(), { io: this.io });
    if (w.recovery.droppedBytes) this.log(`dropped ${w.recovery.droppedBytes} bytes of a record cut short by a crash`);
    this.namesKey = '';
    return w;
  }

  get historyStart(): number {
    return this.writer.header.started;
  }

  /** What `mosixcollector -d` reports of a running collector. */
  status(): { pid: number; current: string; problem: ProblemReport | null } {
    return { pid: process.pid, current: this.paths.current, problem: this.problems.last ?? null };
  }

  async start(): Promise<void> {
    rmSync(this.paths.socket, { force: true }); // only a claimed pid file gets here: the socket is stale
    this.server = createServer((sock) => {
      const ep = new RpcEndpoint<Record<never, never>, Record<never, never>, CollectorRequests>((l) => sock.write(l), {
        checkpoint: ({ label }) => this.checkpoint(label),
        rotate: () => ({ backup: this.rotate(this.now(), true) ?? null }),
        status: () => this.status(),
        alerts: () => this.alerts.list(this.now()),
        'alerts.set': ({ set }) => this.alerts.set(set, this.now()),
      });
      sock.on('data', (d) => ep.receive(d));
      sock.on('error', () => sock.destroy());
      sock.on('close', () => ep.close('gone'));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.paths.socket, resolve);
    });
    this.server.on('error', (e) => this.problems.fail('socket', `the control socket ${this.paths.socket} failed: ${e.message}`, this.now()));
    // Each tick a fixed offset after a wall-clock second (tickClock.ts): an interval would drift and skip seconds.
    const schedule = (): void => {
      this.timer = setTimeout(() => {
        if (this.stopped) return;
        schedule();
        void this.tick();
      }, msToNextTick(this.now()));
    };
    schedule();
    await this.tick();
  }

  /** Never throws: it runs from a signal handler, and the pid file must still be released. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.server?.close();
    try {
      rmSync(this.paths.socket, { force: true });
    } catch (e) {
      this.log(`the control socket ${this.paths.socket} was left behind (the next start removes it): ${(e as Error).message}`);
    }
    this.source.close();
    try {
      this.writer.close();
    } catch (e) {
      this.log(`the last records were not written: ${(e as Error).message}`);
    }
  }

  checkpoint(label: string): { t: number } {
    const t = this.now();
    this.writer.writeCheckpoint({ t, label: String(label ?? '').slice(0, 200) });
    const lost = this.flush();
    if (lost) throw new Error(`the checkpoint was not written: ${lost.message}`);
    return { t };
  }

  /**
   * Saves the current history as a backup and starts a new one (-r, and once a day). If that
   * fails the history goes on being recorded where it is (the old one, or the backup it was
   * just saved as) and the rotation is tried again in ROTATION_RETRY_MS; `-r` gets the error.
   */
  private rotate(now: number, asked: boolean): string | undefined {
    try {
      const saved = this.rotateNow(now);
      this.problems.ok('rotation', now, 'rotation');
      return saved;
    } catch (e) {
      this.rotationRetryAt = now + ROTATION_RETRY_MS;
      this.problems.fail('rotation', `${(e as Error).message}; tried again every ${ROTATION_RETRY_MS / 1000} s`, now);
      if (asked) throw e;
      return undefined;
    }
  }

  private rotateNow(now: number): string | undefined {
    if (!this.savedAs) {
      this.flush(); // what the old history still holds goes with it
      try {
        this.savedAs = { name: saveCurrent(this.paths.dir, now, this.io) };
      } catch (e) {
        throw new Error(`${describeWriteError(e, this.paths.dir, 'save the history as a backup')}; recording goes on in ${this.paths.current}`);
      }
    }
    let next: HistoryWriter;
    try {
      next = this.openWriter();
    } catch (e) {
      const where = this.savedAs.name ? join(this.paths.dir, this.savedAs.name) : this.paths.current;
      throw new Error(`the history was saved as ${where}, but a new one cannot be started: ${(e as Error).message}; recording goes on in ${where}`);
    }
    const saved = this.savedAs.name;
    this.savedAs = undefined;
    const old = this.writer;
    this.writer = next;
    this.lastProcs = 0;
    try {
      old.close();
    } catch {
      /* its files are closed; the lost records were reported when they were lost */
    }
    try {
      deleteExpired(this.paths.dir, now, this.settings);
      this.problems.ok('retention', now, 'deleting expired backups');
    } catch (e) {
      this.problems.fail('retention', `expired backups were not deleted: ${describeWriteError(e, this.paths.dir, 'delete backups')}`, now);
    }
    this.log(saved ? `history saved as ${saved}; a new one started` : 'a new history started');
    return saved;
  }

  private rotationDue(now: number): boolean {
    if (now < this.rotationRetryAt) return false;
    return this.savedAs !== undefined || shouldRotate(this.writer.header.started, now, this.settings);
  }

  /**
   * Flushes the writer and brings the problem log up to date; returns the error when records
   * were lost. Lost node names are written again with the next second.
   */
  private flush(): HistoryWriteError | undefined {
    const now = this.now();
    let lost: HistoryWriteError | undefined;
    try {
      this.writer.flush();
      this.problems.ok('log', now, 'recording');
    } catch (e) {
      if (!(e instanceof HistoryWriteError)) throw e;
      lost = e;
      this.namesKey = '';
      this.problems.fail('log', `records are being lost: ${e.message}; recording resumes by itself once it can write, and the seconds until then are missing (a gap: no second is shifted)`, now);
    }
    for (const which of ['index', 'summary'] as const) {
      const lag = this.writer.lagging.get(which);
      if (lag) this.problems.fail(which, `${lag.message}; ${LAGGING[which]}`, now);
      else this.problems.ok(which, now, `writing the ${which === 'index' ? 'index' : 'minute summaries'}`);
    }
    return lost;
  }

  /**
   * One second: record the cluster; every `procsEveryS` the process list; rotate when due.
   * The record is of the second the tick was due in, whenever the agent's view arrives: a view
   * that came 950 ms late (a loaded node) was stamped into the next second, which then had two
   * records and its predecessor none. A tick due while one still waits is recorded right after
   * it, in its own second, not dropped (one waits at most: the clock ticks once a second).
   */
  async tick(): Promise<void> {
    const due = this.now();
    if (this.recording) {
      this.behind = due;
      return this.recording;
    }
    this.recording = (async () => {
      for (let t: number | undefined = due; t !== undefined && !this.stopped; t = this.behind) {
        this.behind = undefined;
        await this.recordSecond(t);
      }
    })().finally(() => (this.recording = undefined));
    return this.recording;
  }

  private async recordSecond(t: number): Promise<void> {
    try {
      if (this.rotationDue(t)) this.rotate(t, false);
      const nodes = await this.source.nodes().catch((e: Error) => {
        this.problems.fail('view', `cannot read the cluster view: ${e.message}`, this.now());
        return undefined;
      });
      if (this.stopped) return; // stopped while the view was asked: the history is closed
      if (nodes) {
        this.problems.ok('view', t, 'reading the cluster view');
        const sorted = [...nodes].sort((a, b) => a.id - b.id);
        const key = sorted.map((n) => `${n.id}=${n.host}`).join(',');
        if (key !== this.namesKey) {
          this.writer.writeNodes({ t, nodes: sorted.map((n) => ({ id: n.id, host: n.host })) });
          this.namesKey = key;
        }
        this.writer.writeSamples({ t, nodes: sorted.map(toHistorySample) });
      }
      // This second is on disk before anything slower is asked for.
      this.flush();
      if (nodes) await this.evaluateAlerts(t, nodes);
      if (t - this.lastProcs >= this.settings.procsEveryS * 1000 && !this.procsPending) this.procsPending = this.recordProcs(t);
      this.problems.ok('tick', t, 'the once-a-second recording');
    } catch (e) {
      this.problems.fail('tick', `recording failed: ${(e as Error).message}`, this.now());
    }
  }

  /** The agent's events are asked after the second is on disk; an alert's mark is then flushed at once. */
  private async evaluateAlerts(t: number, nodes: ClusterViewNode[]): Promise<void> {
    const events = await (this.source.alertEvents?.() ?? Promise.resolve([])).catch(() => []);
    const c = this.alerts.step(t, nodes, events);
    if (!c.raised.length && !c.cleared.length) return;
    this.flush();
    this.source.reportAlerts?.({ raised: c.raised.length, cleared: c.cleared.length });
  }

  /**
   * The process lists are read beside the seconds, not in their way: a slow answer (each node
   * has a few seconds) must not hold back or skip the next seconds' records.
   */
  private async recordProcs(t: number): Promise<void> {
    const w = this.writer;
    try {
      const nodes = await this.source.procs().catch(() => undefined);
      if (nodes && w === this.writer && !this.stopped) {
        this.lastProcs = t;
        w.writeProcs({ t, nodes });
        this.flush(); // a list that cannot be written is a gap: the next comes in procsEveryS
      }
      this.problems.ok('procs', this.now(), 'recording the process list');
    } catch (e) {
      this.problems.fail('procs', `recording the process list failed: ${(e as Error).message}`, this.now());
    } finally {
      this.procsPending = undefined;
    }
  }

  /** Resolves when no process list is being read (tests, and stop). */
  async settled(): Promise<void> {
    await this.procsPending;
  }
}
