/**
 * The node's figures for Prometheus: the `metrics` request (mosctl metrics), a file for
 * node_exporter's textfile collector rewritten every few seconds, and the optional /metrics
 * endpoint. Settings: metricsSettings.ts.
 */
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { defineFeature, type DaemonContext, type PartsProviding, type ServicesFor } from '../daemon/feature.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { JobState } from '../../shared/jobs/job.js';
import { writeAtomic } from '../stateDir.js';
import { ProblemLog } from '../collector/problemLog.js';
import { log } from '../log/log.js';
import { EMPTY_HISTOGRAM, formatMetrics, observe, type MetricsFormat, type NodeFigures } from './openMetrics.js';
import { loadMetricsSettings, TEXTFILE_NAME } from './metricsSettings.js';
import { serveMetrics } from './metricsServer.js';
import type { MoveOutcome } from '../migrate/orchestrator.js';

/** node_exporter reads the file at each scrape (typically every 15 s or more). */
export const TEXTFILE_EVERY_TICKS = 5;

function buildMetrics(ctx: DaemonContext, services: ServicesFor<'jobs'>): PartsProviding<'moves'> {
  const { settings, problems } = loadMetricsSettings(ctx.paths.dir);
  const migrations = { moved: 0, failed: 0, uncertain: 0 };
  let freeze = EMPTY_HISTOGRAM;
  const moves = {
    record: (o: MoveOutcome) => {
      migrations[o.outcome]++;
      if (o.outcome === 'moved') freeze = observe(freeze, o.freezeMs / 1000);
    },
  };
  const jobs = services.jobs;

  const figures = (): NodeFigures => {
    const snap = ctx.latest();
    if (!snap) throw new RpcError('EIO', 'the agent has no sample of this node yet');
    const info = ctx.peers.info();
    const byState: Partial<Record<JobState, number>> = {};
    for (const r of jobs.registry.list()) byState[r.state] = (byState[r.state] ?? 0) + 1;
    const s = snap.sample;
    return {
      node: info.nodeId !== null ? String(info.nodeId) : hostname(),
      load: s.load, speed: s.speed, cpus: s.cpus,
      memTotalBytes: s.mem.totalKb * 1024, memAvailableBytes: s.mem.availableKb * 1024,
      jobs: byState, migrations: { ...migrations }, freezeSeconds: freeze,
      exchange: { ...info.exchange },
    };
  };
  const text = (format: MetricsFormat) => formatMetrics(figures(), format);

  const textfile = settings.textfileDir ? join(settings.textfileDir, TEXTFILE_NAME) : undefined;
  const fileProblems = new ProblemLog((m) => log.warn(m));
  let ticks = 0;
  const writeTextfile = () => {
    if (!textfile) return;
    try {
      // 0644: node_exporter runs as its own user. The temporary name does not end in .prom,
      // so the collector never reads half a file.
      writeAtomic(textfile, text('openmetrics'), 0o644);
      fileProblems.ok('textfile', Date.now(), `metrics: writing ${textfile}`);
    } catch (e) {
      fileProblems.fail('textfile', `metrics: cannot write ${textfile} (${(e as Error).message}); retrying every ${TEXTFILE_EVERY_TICKS} s. Fix the directory, or set "textfileDir" in ${join(ctx.paths.dir, 'metrics.json')} (null: off)`, Date.now());
    }
  };
  let server: Server | undefined;

  return {
    services: { moves },
    handlers: {
      metrics: (p) => ({ text: text(p?.format ?? 'openmetrics') }),
    },
    start: async () => {
      for (const p of problems) log.warn(`metrics: ${p}`);
      if (settings.listen) server = await serveMetrics(settings.listen, text, (m) => log.info(m));
    },
    onSample: () => {
      if (ticks++ % TEXTFILE_EVERY_TICKS === 0) writeTextfile();
    },
    stop: () => {
      server?.close();
      // A stopped agent has no figures: a file left behind would report old ones as current.
      try {
        if (textfile) rmSync(textfile, { force: true });
      } catch (e) {
        log.warn(`metrics: could not remove ${textfile}: ${(e as Error).message}`);
      }
    },
  };
}

export const metricsFeature = defineFeature({ name: 'metrics', provides: ['moves'], needs: ['jobs'], build: buildMetrics });
