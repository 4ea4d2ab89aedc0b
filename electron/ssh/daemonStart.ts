/**
 * Starts a node's agent daemon from the login shell when the deploy probe found none, so that
 * the GUI reaches it through its socket (daemonSocketChannel.ts) as on a warm start. `attach`
 * would start it too, but is a Node.js process of its own per node that then relays for the
 * whole session: on a cluster starting cold on a few cores, every Node.js start costs every node.
 *
 * Only the plain case is done here: anything `attach` has words for (a stop by the admin, a
 * state directory that is another user's, a daemon that does not come up) is left to `attach`,
 * which says it as before.
 */
import type { Client } from 'ssh2';
import { ADMIN_STOP_FILE } from '../../shared/protocol/agent.js';
import { execCollect, shQuote, type DeployedAgent } from './agentDeploy.js';
import { keyValues, parseDaemonProbe, runningDaemonLines, stateDirLines, type RunningDaemon } from './daemonProbe.js';

/** Longer than the daemon's own start on a loaded machine; attach waits as long. */
const START_TIMEOUT_MS = 25_000;

export type StartAnswer = { daemon: RunningDaemon } | { relay: string };

/**
 * The script: the checks attach makes before it starts a daemon, then the daemon as its own
 * session (setsid, like attach's detached spawn), its output in agent.log. The daemon says
 * "ready" on descriptor 3 once it serves; `read` takes that one line, so a child of the daemon
 * that inherited the descriptor cannot hold the script open, and an exit before ready is EOF.
 */
export function startDaemonScript(agent: Pick<DeployedAgent, 'nodePath' | 'agentFile'>): string {
  return [
    ...stateDirLines(),
    `if [ -e "$sd"/${ADMIN_STOP_FILE} ]; then echo "start=relay the agent was stopped by the admin"; exit 0; fi`,
    `if [ -e "$sd" ] && [ ! -O "$sd" ]; then echo "start=relay $sd is not this login's"; exit 0; fi`,
    // Private as attach makes it; the daemon (and the jobs it starts) keep the login's umask.
    `err=$(umask 077; mkdir -p "$sd" 2>&1) || { echo "start=relay $err"; exit 0; }`,
    // A daemon started here is nobody's service (agent/daemon/daemonSocket.ts withoutSupervisor).
    `unset INVOCATION_ID`,
    `s=; command -v setsid >/dev/null 2>&1 && s=setsid`,
    `{ $s ${shQuote(agent.nodePath)} ${shQuote(agent.agentFile)} daemon --ready-fd 3 3>&1 >>"$sd/agent.log" 2>&1 </dev/null & } | {`,
    `  read -r said`,
    `  if [ "$said" = ready ]; then echo start=ready; else echo "start=relay the daemon did not say ready; see $sd/agent.log"; fi`,
    ...runningDaemonLines().map((l) => `  ${l}`),
    `}`,
    '',
  ].join('\n');
}

/** The daemon the script started, or why the node is left to attach. */
export function parseStartAnswer(val: (key: string) => string[]): StartAnswer {
  const start = val('start')[0];
  if (start === undefined) return { relay: 'the start script gave no answer' };
  if (start !== 'ready') return { relay: start.replace(/^relay /, '') };
  const daemon = parseDaemonProbe(val);
  return daemon ? { daemon } : { relay: 'the daemon said ready but its socket or pid file is missing' };
}

/** Runs the start script over the node's SSH connection. */
export async function startDaemon(client: Client, agent: Pick<DeployedAgent, 'nodePath' | 'agentFile'>): Promise<StartAnswer> {
  try {
    const r = await execCollect(client, 'sh -s', startDaemonScript(agent), START_TIMEOUT_MS);
    return parseStartAnswer(keyValues(r.out));
  } catch (e) {
    return { relay: `the start script failed: ${(e as Error).message}` };
  }
}
