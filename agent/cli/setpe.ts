/**
 * setpe, the openMosix node configuration utility (HOWTO chapter 8.5):
 *   setpe -w -f MAP        install the map (this node finds itself in it by its addresses)
 *   setpe -r [-f MAP]      write the installed map, in map syntax, to stdout or MAP
 *   setpe -off             leave the cluster
 * What is done here wins over Mosixview: a map installed with -w is recorded as the node's
 * own, and after -off no GUI installs its map again unless the admin asks it to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSetpe, SETPE_USAGE, type SetpeCommand } from '../../shared/balancing/controls.js';
import { formatHpcMap, MapError, parseHpcMap } from '../../shared/hpcMap.js';
import { CliError, connectDaemon, type DaemonClient } from './daemonClient.js';

export type SetpeAgent = Pick<DaemonClient, 'request'>;

export interface SetpeIo {
  out(s: string): void;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
}

export async function runSetpe(cmd: SetpeCommand, agent: SetpeAgent, io: SetpeIo): Promise<void> {
  switch (cmd.cmd) {
    case 'write': {
      let text: string;
      try {
        text = io.readFile(cmd.file);
      } catch (e) {
        throw new CliError(`cannot read ${cmd.file}: ${(e as Error).message}`);
      }
      // Checked here so that errors name the admin's file and line, not the agent's copy.
      try {
        parseHpcMap(text, cmd.file);
      } catch (e) {
        throw new CliError(e instanceof MapError ? e.message : `${cmd.file}: ${(e as Error).message}`);
      }
      let info;
      try {
        info = await agent.request('cluster.configure', { mapText: text, by: 'setpe' });
      } catch (e) {
        throw new CliError(`${cmd.file}: ${(e as Error).message}`);
      }
      io.out(`this node is node ${info.nodeId} of ${info.map.length}; ${info.listening ? `peer channel listening on port ${info.port}` : `peer channel not running${info.problem ? `: ${info.problem}` : info.keyInstalled ? '' : ' (no cluster key yet: open the cluster in Mosixview)'}`}`);
      return;
    }
    case 'read': {
      const info = await agent.request('cluster.info', null);
      if (info.map.length === 0) throw new CliError('no map is installed on this node (setpe -w -f /etc/hpc.map)');
      const text = formatHpcMap(info.map);
      if (cmd.file === undefined) text.trimEnd().split('\n').forEach((l) => io.out(l));
      else {
        try {
          io.writeFile(cmd.file, text);
        } catch (e) {
          throw new CliError(`cannot write ${cmd.file}: ${(e as Error).message}`);
        }
      }
      return;
    }
    case 'off':
      await agent.request('cluster.configure', { off: true });
      io.out(`this node left the cluster: no map installed, no load exchange; Mosixview does not put its map back (setpe -w, or "Install the profile's map" in Mosixview, joins again)`);
      return;
  }
}

export async function setpe(args: string[], out: (s: string) => void): Promise<void> {
  if (args[0] === '-h' || args[0] === '--help') {
    out(SETPE_USAGE);
    return;
  }
  const parsed = parseSetpe(args);
  if (!parsed.ok) throw new CliError(parsed.error.replace(/^setpe: /, ''));
  const agent = await connectDaemon();
  try {
    await runSetpe(parsed.value, agent, {
      out,
      readFile: (p) => readFileSync(p, 'utf8'),
      writeFile: (p, t) => writeFileSync(p, t),
    });
  } finally {
    agent.end();
  }
}
