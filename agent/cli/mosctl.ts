/**
 * mosctl, the openMosix configuration tool (HOWTO chapter 8.5): the flags, expel and bring,
 * speed and decay of this node, and the readers about any node of the cluster.
 */
import { lookup } from 'node:dns/promises';
import { MOSCTL_USAGE, parseMosctl, type MosctlCommand } from '../balance/controls.js';
import type { NodeId, NodeSample } from '../../shared/domain/node.js';
import { demandSourceLabel, speedSourceLabel } from '../../shared/loadFigures.js';
import { CliError, connectDaemon, type DaemonClient } from './daemonClient.js';
import { formatAlertList } from '../../shared/alerts/alertText.js';
import { figuresOfSample, formatGet, formatOwnStatus, formatPeerStatus, formatReport, formatWhois } from '../balance/readers.js';

export type MosctlAgent = Pick<DaemonClient, 'request'>;

/** The balance requests fail with ENOMETHOD on an agent without the balancing core. */
async function balanceState(agent: MosctlAgent) {
  return agent.request('balance.state', null).catch(() => undefined);
}

async function ownId(agent: MosctlAgent): Promise<NodeId | null> {
  return (await agent.request('cluster.info', null)).nodeId;
}

/** Where this node's speed and load come from (absent from older agents' samples). */
function figureSources(s: NodeSample): string[] {
  const out: string[] = [];
  if (s.speedSource === 'calibrated') out.push(`Speed: ${s.speed}, ${speedSourceLabel('calibrated')} (CPU time of a fixed workload, checked at each agent start)`);
  if (s.speedSource === 'admin') out.push(`Speed: ${s.speed}, ${speedSourceLabel('admin')} (mosctl setspeed or the GUI; never re-measured)`);
  if (s.speedSource === 'provisional') out.push(`Speed: ${s.speed}, ${speedSourceLabel('provisional')} (the standard speed until the first calibration ends, seconds after the agent's first start)`);
  if (s.demandSource) out.push(`Load: ${demandSourceLabel(s.demandSource)}`);
  return out;
}

/** Runs one parsed command; returns the exit code (1: the node asked about is down or unknown). */
export async function runMosctl(cmd: MosctlCommand, agent: MosctlAgent, out: (s: string) => void): Promise<number> {
  switch (cmd.cmd) {
    case 'set':
      await agent.request('balance.set', { flag: cmd.flag, value: cmd.value });
      return 0;
    case 'expel':
    case 'bring': {
      const r = await agent.request(cmd.cmd === 'expel' ? 'balance.expel' : 'balance.bring', null);
      formatReport(cmd.cmd, r).forEach(out);
      return r.failed.length || r.unreachable.length ? 1 : 0;
    }
    case 'setspeed':
      out(String((await agent.request('setSpeed', { speed: cmd.speed })).speed));
      return 0;
    case 'setdecay':
    case 'getdecay': {
      const b =
        cmd.cmd === 'setdecay'
          ? await agent.request('balance.setDecay', { intervalS: cmd.intervalS, ...(cmd.slow !== undefined ? { slow: cmd.slow, fast: cmd.fast } : {}) })
          : await agent.request('balance.state', null);
      out(`interval ${b.decay.intervalS} s, slowdecay ${b.decay.slow}, fastdecay ${b.decay.fast}`);
      return 0;
    }
    case 'get': {
      const self = await ownId(agent);
      if (cmd.node === undefined || cmd.node === self) {
        const s = await agent.request('sample', null);
        out(formatGet(cmd.what, figuresOfSample(s)));
        return 0;
      }
      if (cmd.what === 'free') {
        // Physical free memory is not in the exchanged entry: ask the node itself.
        out(formatGet('free', figuresOfSample(await agent.request('balance.sampleOf', { node: cmd.node }))));
        return 0;
      }
      const view = await agent.request('balance.view', null);
      const v = view.nodes.find((n) => n.node === cmd.node);
      if (!v || !v.up) throw new CliError(formatPeerStatus(v, cmd.node, view.map));
      out(formatGet(cmd.what, v));
      return 0;
    }
    case 'status': {
      const c = await agent.request('cluster.info', null);
      if (cmd.node === undefined || cmd.node === c.nodeId) {
        const s = await agent.request('sample', null);
        const lines = formatOwnStatus(s, c, await balanceState(agent));
        lines.splice(1, 0, ...figureSources(s));
        lines.forEach(out);
        return 0;
      }
      const view = await agent.request('balance.view', null);
      const v = view.nodes.find((n) => n.node === cmd.node);
      out(formatPeerStatus(v, cmd.node, view.map));
      return v?.up ? 0 : 1;
    }
    case 'isup': {
      const c = await agent.request('cluster.info', null);
      const node = cmd.node ?? c.nodeId;
      if (node === null) throw new CliError('this node is not in a cluster (no map installed): name the node, after setpe -w -f MAP');
      if (!c.map.some((n) => n.id === node)) throw new CliError(`no node ${node} in this cluster's map`);
      const r = await agent.request('balance.ping', { node });
      out(r.up ? `${node} is up (answered in ${r.ms} ms)` : `${node} is down: ${r.why}`);
      return r.up ? 0 : 1;
    }
    case 'metrics':
      out((await agent.request('metrics', { format: 'openmetrics' })).text.replace(/\n$/, ''));
      return 0;
    case 'alerts': {
      const list = cmd.set ? await agent.request('alerts.set', { set: cmd.set }) : await agent.request('alerts.list', null);
      formatAlertList(list).forEach(out);
      return 0;
    }
    case 'whois': {
      const view = await agent.request('balance.view', null);
      let resolved: string[] = [];
      if (cmd.target?.by === 'host') resolved = (await lookup(cmd.target.host, { all: true }).catch(() => [])).map((a) => a.address);
      const r = formatWhois(view.map, view.self, cmd.target, resolved);
      if (!r.ok) throw new CliError(r.text);
      out(r.text);
      return 0;
    }
  }
}

export async function mosctl(args: string[], out: (s: string) => void): Promise<void> {
  if (args[0] === '-h' || args[0] === '--help') {
    out(MOSCTL_USAGE);
    return;
  }
  const parsed = parseMosctl(args);
  if (!parsed.ok) throw new CliError(parsed.error.replace(/^mosctl: /, ''));
  const agent = await connectDaemon();
  try {
    const code = await runMosctl(parsed.value, agent, out);
    if (code) process.exitCode = code;
  } finally {
    agent.end();
  }
}
