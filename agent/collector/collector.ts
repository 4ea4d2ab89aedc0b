/**
 * The running collector: once a second it records every node the cluster view knows,
 * once a minute the process list of its own node, and once a day it saves the history
 * as a dated backup. The store syncs every second, so a crash loses at most that second.
 */
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { rmSync } from 'node:fs';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';
import type { HistoryNodeSample, HistoryProc } from '../../shared/history/types.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import { HistoryWriter } from './store/historyWriter.js';
import { rotate, shouldRotate } from './store/rotation.js';
import type { ClusterViewSource } from './clusterViewSource.js';
import type { CollectorPaths, CollectorSettings } from './config.js';
import type { CollectorRequests } from './control.js';

export function toHistorySample(n: ClusterViewNode): HistoryNodeSample {
  const s = n.status === 'up' ? n.sample : undefined;
  if (!s) return { id: n.id, up: false, load: 0, cpus: 0, speed: 0, util: 0, tmemKb: 0, rmemKb: 0, memKb: 0 };
  return {
    id: n.id, up: true, load: s.load, cpus: s.cpus, speed: s.speed, util: s.util,
    tmemKb: s.mem.totalKb, rmemKb: s.mem.freeKb, memKb: s.mem.availableKb,
  };
}

export const toHistoryProc = (p: ProcInfo): HistoryProc => ({
  pid: p.pid, user: p.user, command: p.command, args: p.args.slice(0, 200), state: p.state, cpu: p.cpu, rssKb: p.rssKb, where: p.where,
});

export class Collector {
  private writer: HistoryWriter;
  private timer: ReturnType<typeof setInterval> | undefined;
  private server: Server | undefined;
  private busy = false;
  private procsPending: Promise<void> | undefined;
  private stopped = false;
  private lastProcs = 0;
  private namesKey = '';
  private warned = '';

  constructor(
    private readonly paths: CollectorPaths,
    private readonly settings: CollectorSettings,
    private readonly source: ClusterViewSource,
    private readonly log: (s: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.writer = this.openWriter();
  }

  private openWriter(): HistoryWriter {
    const w = HistoryWriter.open(this.paths.current, hostname(), this.now());
    if (w.recovery.droppedBytes) this.log(`dropped ${w.recovery.droppedBytes} bytes of a record cut short by a crash`);
    this.namesKey = '';
    return w;
  }

  get historyStart(): number {
    return this.writer.header.started;
  }

  async start(): Promise<void> {
    rmSync(this.paths.socket, { force: true }); // only a claimed pid file gets here: the socket is stale
    this.server = createServer((sock) => {
      const ep = new RpcEndpoint<Record<never, never>, Record<never, never>, CollectorRequests>((l) => sock.write(l), {
        checkpoint: ({ label }) => this.checkpoint(label),
        rotate: () => ({ backup: this.rotateNow() ?? null }),
      });
      sock.on('data', (d) => ep.receive(d));
      sock.on('error', () => sock.destroy());
      sock.on('close', () => ep.close('gone'));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.paths.socket, resolve);
    });
    this.timer = setInterval(() => void this.tick(), 1000);
    await this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.server?.close();
    rmSync(this.paths.socket, { force: true });
    this.source.close();
    this.writer.close();
  }

  checkpoint(label: string): { t: number } {
    const t = this.now();
    this.writer.writeCheckpoint({ t, label: String(label ?? '').slice(0, 200) });
    this.writer.flush();
    return { t };
  }

  /** Saves the current history as a backup and starts a new one (-r, and once a day). */
  rotateNow(): string | undefined {
    this.writer.close();
    const saved = rotate(this.paths.dir, this.now(), this.settings);
    this.writer = this.openWriter();
    this.lastProcs = 0;
    this.log(`history saved as ${saved}; a new one started`);
    return saved;
  }

  /** One second: record the cluster; every `procsEveryS` the process list; rotate when due. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (shouldRotate(this.writer.header.started, this.now(), this.settings)) this.rotateNow();
      const nodes = await this.source.nodes().catch((e: Error) => {
        this.warnOnce(`cannot read the cluster view: ${e.message}`);
        return undefined;
      });
      const t = this.now();
      if (nodes) {
        this.warned = '';
        const sorted = [...nodes].sort((a, b) => a.id - b.id);
        const key = sorted.map((n) => `${n.id}=${n.host}`).join(',');
        if (key !== this.namesKey) {
          this.writer.writeNodes({ t, nodes: sorted.map((n) => ({ id: n.id, host: n.host })) });
          this.namesKey = key;
        }
        this.writer.writeSamples({ t, nodes: sorted.map(toHistorySample) });
      }
      // This second is on disk before anything slower is asked for.
      this.writer.flush();
      if (t - this.lastProcs >= this.settings.procsEveryS * 1000 && !this.procsPending) this.procsPending = this.recordProcs(t);
    } catch (e) {
      this.warnOnce(`recording failed: ${(e as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  /**
   * The process list is read beside the seconds, not in their way: a slow answer (up to its
   * 5 s timeout) must not hold back or skip the next seconds' records.
   */
  private async recordProcs(t: number): Promise<void> {
    const w = this.writer;
    try {
      const procs = await this.source.procs().catch(() => undefined);
      if (procs && w === this.writer && !this.stopped) {
        this.lastProcs = t;
        w.writeProcs({ t, procs: procs.map(toHistoryProc) });
        w.flush();
      }
    } catch (e) {
      this.warnOnce(`recording the process list failed: ${(e as Error).message}`);
    } finally {
      this.procsPending = undefined;
    }
  }

  /** Resolves when no process list is being read (tests, and stop). */
  async settled(): Promise<void> {
    await this.procsPending;
  }

  private warnOnce(msg: string): void {
    if (msg !== this.warned) this.log(msg);
    this.warned = msg;
  }
}
