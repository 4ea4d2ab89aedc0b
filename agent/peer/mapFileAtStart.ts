/**
 * The packaged agent's map file (/etc/mosixview/hpc.map, given as `daemon --map FILE` by
 * mosixview-agent.service), applied once at the daemon's start as openMosix's init script ran
 * `setpe -w -f /etc/hpc.map` at boot: the node joins the cluster the file describes with no
 * GUI involved. A map installed later (setpe -w, or the GUI's explicit "Install the profile's
 * map") lasts until the agent starts again; `setpe -off` lasts until `setpe -w` (a restart does
 * not undo the admin's leaving). A file that names no nodes (the package's own), is missing or
 * is wrong changes nothing: the agent runs on with the map it has and says why in its log.
 */
import { readFileSync } from 'node:fs';
import { formatHpcMap, parseHpcMap, type MapNode } from '../../shared/hpcMap.js';
import type { MapOrigin } from '../../shared/protocol/agent.js';
import { CliError } from '../cli/daemonClient.js';
import { findSelfId, loadMembership, localAddresses, readLeftAt, readMapFile, readMapOrigin, saveMembership, type Membership } from './membership.js';

export interface StartNote {
  level: 'info' | 'warn' | 'error';
  message: string;
}

const count = (n: number) => `${n} node${n === 1 ? '' : 's'}`;

function byWhom(origin: MapOrigin | null, stateDir: string): string | undefined {
  if (origin === 'gui') return 'by the GUI';
  if (origin === 'setpe') return 'by setpe -w';
  if (origin === 'file') return `from ${readMapFile(stateDir) ?? 'a map file'}`;
  return undefined;
}

function installed(stateDir: string, host: string): Membership | undefined {
  try {
    return loadMembership(stateDir, host);
  } catch {
    return undefined; // a damaged stored map counts as none: the file's replaces it
  }
}

/** What the node holds now, in words: "none", or "2 nodes, by the GUI". */
function installedText(stateDir: string, host: string): string {
  const m = installed(stateDir, host);
  if (!m) return 'none';
  const by = byWhom(readMapOrigin(stateDir), stateDir);
  return `${count(m.nodes.length)}${by ? `, ${by}` : ''}`;
}

const namesNoNodes = (text: string) => text.split(/\r?\n/).every((l) => l.replace(/#.*/, '').trim() === '');

/** Applies `file` to the state dir if it should be; what happened, for the daemon's log. Never throws. */
export function applyMapFileAtStart(stateDir: string, file: string, host: string): StartNote {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return { level: 'warn', message: `${file} is missing: the map installed here stays (${installedText(stateDir, host)})` };
    return { level: 'error', message: `cannot read ${file}: ${err.message}: the map installed here stays (${installedText(stateDir, host)})` };
  }
  if (namesNoNodes(text)) {
    return {
      level: 'info',
      message: `${file} names no nodes yet: the map installed here stays (${installedText(stateDir, host)}); write the cluster's nodes there ("ID host range-size" lines) and restart the agent`,
    };
  }
  const notApplied = (problem: string): StartNote => ({
    level: 'error',
    message: `${problem}: not applied (the map installed here stays: ${installedText(stateDir, host)}); fix the file and restart the agent`,
  });
  let nodes: MapNode[];
  try {
    nodes = parseHpcMap(text, file);
  } catch (e) {
    return notApplied((e as Error).message);
  }
  const leftAt = readLeftAt(stateDir);
  if (leftAt !== null) {
    return { level: 'info', message: `this node left the cluster (setpe -off, ${leftAt}): ${file} is not applied; setpe -w -f ${file} joins again` };
  }
  const before = installed(stateDir, host);
  if (before && formatHpcMap(before.nodes) === formatHpcMap(nodes) && before.selfId === findSelfId(nodes, localAddresses(), host)) {
    return { level: 'info', message: `${file}: the same map is installed already (node ${before.selfId} of ${nodes.length})` };
  }
  const replaced = before ? ` (it replaces the map installed ${byWhom(readMapOrigin(stateDir), stateDir) ?? 'before'}, ${count(before.nodes.length)})` : '';
  try {
    const m = saveMembership(stateDir, text, undefined, host, 'file', file);
    return { level: 'info', message: `applied ${file}: node ${m.selfId} of ${m.nodes.length}${replaced}` };
  } catch (e) {
    return notApplied(`${file}: ${(e as Error).message}`);
  }
}

/**
 * `daemon [--map FILE] [--ready-fd N]`: the service's options, and the descriptor on which the
 * GUI's start script (electron/ssh/daemonStart.ts) waits for "ready"; anything else is refused, naming it.
 */
export function parseDaemonArgs(args: readonly string[]): { mapFile?: string; readyFd?: number } {
  const out: { mapFile?: string; readyFd?: number } = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--ready-fd') {
      const n = args[++i];
      if (n === undefined || !/^\d+$/.test(n) || Number(n) < 3) throw new CliError('--ready-fd needs a file descriptor number above 2, e.g. --ready-fd 3');
      out.readyFd = Number(n);
      continue;
    }
    if (a !== '--map') throw new CliError(`unknown option "${a}" (usage: daemon [--map FILE] [--ready-fd N])`);
    const f = args[++i];
    if (f === undefined || f.startsWith('-')) throw new CliError('--map needs the map file, e.g. --map /etc/mosixview/hpc.map');
    if (!f.startsWith('/')) throw new CliError(`--map needs an absolute path (the service runs in /), not "${f}"`);
    out.mapFile = f;
  }
  return out;
}
