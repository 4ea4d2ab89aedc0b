/**
 * The daemon's history feature: the cluster view the collector records (this node, the
 * load exchange's view of the others, and the views a connected GUI pushes, merged), and
 * the GUI's reads of the history files on this node. Without any GUI the load exchange
 * alone tells the collector about every node.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { RpcError } from '../../shared/protocol/rpc.js';
import { defineFeature, type DaemonContext, type FeatureParts, type ServicesFor } from '../daemon/feature.js';
import { collectorPaths, type CollectorPaths } from '../collector/config.js';
import { collectorCommand } from '../collector/collectorCli.js';
import { CliError } from '../cli/daemonClient.js';
import { mergeViews, type ViewSource } from './mergeViews.js';
import { observedSource, reportedSource } from './viewSources.js';
import { clusterAt, collectorStatus, historySeries, procHistory, warmSeriesReads, withReader } from './historyQueries.js';
import { exportPage } from './historyExport.js';
import { SeriesCache } from './seriesCache.js';
import { clusterProcs, toHistoryProc } from './clusterProcs.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { PeerRequests } from '../../shared/protocol/peer.js';

/** A GUI that stopped pushing for this long is gone: its view no longer counts. */
const OBSERVED_TTL_MS = 5000;

function buildHistory(ctx: DaemonContext, services: ServicesFor<never>): FeatureParts {
  const paths = collectorPaths(ctx.paths);
  let observed: ViewSource | undefined;
  let selfId = readSelfId(paths.selfFile);
  const seriesCache = new SeriesCache();

  const clusterView = () => {
    const now = Date.now();
    const member = ctx.peers.membership;
    const sources: ViewSource[] = [];
    const own = ctx.latest()?.sample;
    if (own) sources.push({ at: own.t, nodes: [{ id: member?.selfId ?? selfId ?? 0, host: hostname(), status: 'up', sample: own }] });
    const exchange = services.clusterView?.reported();
    if (member && exchange) sources.push(reportedSource(exchange, now, (id) => member.nodes.find((n) => n.id === id)?.host));
    if (observed && now - observed.at <= OBSERVED_TTL_MS) sources.push(observed);
    return mergeViews(sources, now);
  };
  const ownProcs = () => ctx.latest()?.procs.map(toHistoryProc);

  const peerHandlers: Handlers<PeerRequests> = {
    'history.procList': () => {
      const procs = ownProcs();
      if (!procs) throw new RpcError('EIO', 'this node has not read its processes yet');
      return procs;
    },
  };

  let warming: ReturnType<typeof setTimeout> | undefined;
  return {
    // Once the daemon serves: its first window then reads in warm code (warmSeriesReads).
    start: () => {
      warming = setTimeout(() => warmSeriesReads(paths, seriesCache), 0);
      warming.unref?.();
    },
    stop: () => clearTimeout(warming),
    handlers: {
      'history.clusterView': () => ({ nodes: clusterView() }),
      // Every node of the view: the collector's process lists of the minute (clusterProcs.ts).
      'history.clusterProcs': async () => {
        const net = ctx.peers.net;
        return {
          nodes: await clusterProcs(clusterView(), {
            self: ctx.peers.membership?.selfId ?? selfId ?? 0,
            own: ownProcs,
            ask: net && ((id) => net.request(id, 'history.procList', null)),
          }),
        };
      },
      'history.observe': (req) => {
        observed = observedSource(req.nodes, Date.now());
        // The GUI knows which map entry this node is; remember it for records made without a GUI.
        if (req.self !== selfId) {
          selfId = req.self;
          writeSelfId(paths.dir, paths.selfFile, req.self);
        }
        return null;
      },
      'history.status': () => collectorStatus(paths),
      'history.start': async () => ({ message: await startCollector(ctx.bundle), status: collectorStatus(paths) }),
      'history.stop': async () => ({ message: await collectorSays(paths, ['-k'], ctx.bundle), status: collectorStatus(paths) }),
      'history.checkpoint': async ({ label }) => {
        return { message: await collectorSays(paths, ['-n', label], ctx.bundle), status: collectorStatus(paths) };
      },
      'history.rotate': async () => ({ message: await collectorSays(paths, ['-r'], ctx.bundle), status: collectorStatus(paths) }),
      'history.series': (req) => historySeries(paths, req, seriesCache),
      'history.procs': (req) => procHistory(paths, req),
      'history.at': (req) => clusterAt(paths, req),
      'history.export': (req) => withReader(paths, req.backup, (r, name) => exportPage(r, name, req)),
    },
    peerHandlers,
  };
}

export const historyFeature = defineFeature({ name: 'history', build: buildHistory });

function readSelfId(file: string): number | undefined {
  try {
    const id = (JSON.parse(readFileSync(file, 'utf8')) as { id?: unknown }).id;
    return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

function writeSelfId(dir: string, file: string, id: number): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify({ id }) + '\n');
  } catch {
    /* only a convenience for later records without a GUI */
  }
}

/**
 * Runs `mosixcollector -d` from this bundle; resolves with what it printed once the collector
 * is up. A process of its own, as from a shell: the collector it starts is detached from it.
 */
function startCollector(bundle: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'mosixcollector', '-d'], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', (e) => reject(new RpcError('EFAIL', `cannot start the collector: ${e.message}`)));
    child.once('exit', (code) => {
      // Settings it ignored (a typo in collector.json) are said on stderr even when it starts.
      if (code === 0) resolve([out.trim(), err.trim().replace(/^mosixcollector: /gm, '')].filter(Boolean).join('\n'));
      else reject(new RpcError('EFAIL', err.trim().replace(/^mosixcollector: /, '') || `the collector did not start (exit code ${code})`));
    });
  });
}

/** Stop, checkpoint and rotate: the tool's own code and words, run here; its refusals become errors for the GUI. */
async function collectorSays(paths: CollectorPaths, args: string[], bundle: string): Promise<string> {
  const said: string[] = [];
  try {
    await collectorCommand(paths, args, (s) => said.push(s), bundle);
  } catch (e) {
    throw new RpcError(e instanceof CliError ? 'ENOTRUNNING' : 'EFAIL', (e as Error).message);
  }
  return said.join('\n');
}
