/**
 * The daemon's history feature: the cluster view the collector records (this node, the
 * GUI's pushed views, the balancing core's provider, merged), and the GUI's reads of
 * the history files on this node.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';
import type { NodeView } from '../../shared/domain/node.js';
import type { AgentFeature, DaemonContext } from '../daemon/feature.js';
import { collectorPaths } from '../collector/config.js';
import { clusterViewProvider } from './clusterViewProvider.js';
import { mergeViews, type ViewSource } from './mergeViews.js';
import { clusterAt, collectorStatus, historySeries, procHistory } from './historyQueries.js';

/** A GUI that stopped pushing for this long is gone: its view no longer counts. */
const OBSERVED_TTL_MS = 5000;

const fromView = (v: NodeView): ClusterViewNode =>
  v.status === 'up' && v.sample ? { id: v.id, host: v.host, status: 'up', sample: v.sample } : { id: v.id, host: v.host, status: 'down' };

export function historyFeature(ctx: DaemonContext): AgentFeature {
  const paths = collectorPaths(ctx.paths);
  let observed: { at: number; nodes: ClusterViewNode[] } | undefined;
  let selfId = readSelfId(paths.selfFile);

  const clusterView = (): ClusterViewNode[] => {
    const now = Date.now();
    const sources: ViewSource[] = [];
    const own = ctx.latest()?.sample;
    if (own) sources.push({ at: own.t, nodes: [{ id: selfId ?? 0, host: hostname(), status: 'up', sample: own }] });
    const core = clusterViewProvider();
    if (core) sources.push({ at: now, nodes: core() });
    if (observed && now - observed.at <= OBSERVED_TTL_MS) sources.push(observed);
    return mergeViews(sources, now);
  };

  return {
    name: 'history',
    handlers: {
      'history.clusterView': () => ({ nodes: clusterView() }),
      'history.observe': (req) => {
        if (!req || !Array.isArray(req.nodes) || !Number.isInteger(req.self)) throw new RpcError('EINVAL', 'observe needs { self, nodes }');
        observed = { at: Date.now(), nodes: req.nodes.map(fromView) };
        // The GUI knows which map entry this node is; remember it for records made without a GUI.
        if (req.self !== selfId) {
          selfId = req.self;
          writeSelfId(paths.dir, paths.selfFile, req.self);
        }
        return null;
      },
      'history.status': () => collectorStatus(paths),
      'history.start': async () => {
        await startCollector(ctx.bundle);
        return collectorStatus(paths);
      },
      'history.series': (req) => historySeries(paths, req),
      'history.procs': (req) => procHistory(paths, req),
      'history.at': (req) => clusterAt(paths, req),
    },
  };
}

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

/** Runs `mosixcollector -d` from this bundle; it returns once the collector is up. */
function startCollector(bundle: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'mosixcollector', '-d'], { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', (e) => reject(new RpcError('EFAIL', `cannot start the collector: ${e.message}`)));
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new RpcError('EFAIL', err.trim().replace(/^mosixcollector: /, '') || `the collector did not start (exit code ${code})`));
    });
  });
}
