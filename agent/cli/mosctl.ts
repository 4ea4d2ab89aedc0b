/**
 * mosctl, the openMosix configuration tool (HOWTO chapter 8.5), for this node:
 *   mosctl getspeed | setspeed N | getload | getutil | getmem | getfree | status
 */
import { CliError, connectDaemon } from './daemonClient.js';

const USAGE = `usage: mosctl {getspeed | setspeed N | getload | getutil | getmem | getfree | status}`;

export async function mosctl(args: string[], out: (s: string) => void): Promise<void> {
  const [cmd, ...rest] = args;
  if (!cmd || cmd === '-h' || cmd === '--help') {
    out(USAGE);
    return;
  }
  const known = ['getspeed', 'setspeed', 'getload', 'getutil', 'getmem', 'getfree', 'status'];
  if (!known.includes(cmd)) throw new CliError(`unknown command "${cmd}"\n${USAGE}`);
  if (cmd === 'setspeed' && (rest.length !== 1 || !/^\d+$/.test(rest[0]!))) {
    throw new CliError('setspeed needs a whole number, e.g. "mosctl setspeed 15000" (10000 = reference CPU)');
  }
  const agent = await connectDaemon();
  try {
    switch (cmd) {
      case 'getspeed':
        out(String((await agent.request('getSpeed', null)).speed));
        break;
      case 'setspeed':
        out(String((await agent.request('setSpeed', { speed: Number(rest[0]) })).speed));
        break;
      default: {
        const s = await agent.request('sample', null);
        if (cmd === 'getload') out(String(Math.round(s.load * 100)));
        else if (cmd === 'getutil') out(`${Math.round(s.util)}%`);
        else if (cmd === 'getmem') out(String(s.mem.availableKb * 1024));
        else if (cmd === 'getfree') out(String(s.mem.freeKb * 1024));
        else {
          const c = await agent.request('cluster.info', null);
          out(`This node (${s.hostname}) is up: speed ${s.speed}, ${s.cpus} CPU(s), load ${s.load.toFixed(2)}, utilisation ${Math.round(s.util)}%`);
          out(
            c.nodeId === null
              ? `Not in a cluster: no map installed (setpe -w -f /etc/hpc.map, or open the cluster in Mosixview)`
              : `Node ${c.nodeId} of ${c.map.length}; cluster key ${c.keyInstalled ? 'installed' : 'MISSING'}; peer channel ${c.listening ? `listening on port ${c.port}` : `not running${c.problem ? `: ${c.problem}` : ''}`}`,
          );
          const x = c.exchange;
          out(`Load exchange: ${x.accepted} accepted, ${x.forged} forged, ${x.stale} stale, ${x.replayed} replayed`);
        }
      }
    }
  } finally {
    agent.end();
  }
}
