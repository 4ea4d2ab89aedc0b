/**
 * Finds the node's running agent daemon from the deploy probe's shell (agentDeploy.ts), the way
 * `mosixview-agent attach` would (agent/stateDir.ts clientStatePaths), so that the GUI can talk
 * to the daemon's socket over SSH (daemonSocketChannel.ts) instead of starting a Node.js
 * relay for every node. Only a hint: the socket's permissions and the daemon's identity
 * challenge decide who may talk to it, and anything unexpected falls back to the relay.
 */

/** Shell lines that set `sd` to the state directory `attach` would use (agent/stateDir.ts clientStatePaths). */
export function stateDirLines(): string[] {
  return [
    `if [ -n "$MOSIXVIEW_STATE_DIR" ]; then sd=$MOSIXVIEW_STATE_DIR`,
    // A user's tools talk to the node's system agent when it runs, as attach does.
    `elif [ "$(id -u)" = 0 ] || [ -S /var/lib/mosixview/agent.sock ]; then sd=/var/lib/mosixview`,
    `else sd=\${XDG_STATE_HOME:-$HOME/.local/state}/mosixview; fi`,
  ];
}

/** Shell lines that print the login's uid, and the socket and pid file of the daemon in `$sd` if one runs. */
export function runningDaemonLines(): string[] {
  return [
    `echo "uid=$(id -u)"`,
    `if [ -S "$sd/agent.sock" ] && [ -f "$sd/agent.pid" ]; then`,
    `  echo "sock=$sd/agent.sock"`,
    `  echo "pid=$(head -c 400 "$sd/agent.pid" | tr -d '\\n')"`,
    `fi`,
  ];
}

/** Shell lines appended to the probe: the login's uid, and the daemon's socket and pid file if one runs. */
export function daemonProbeLines(): string[] {
  return [...stateDirLines(), ...runningDaemonLines()];
}

/** The `key=value` lines of a shell script's output, by key. */
export function keyValues(out: string): (key: string) => string[] {
  const lines = out.split('\n');
  return (k) => lines.filter((l) => l.startsWith(`${k}=`)).map((l) => l.slice(k.length + 1));
}

export interface RunningDaemon {
  /** The daemon's unix socket on the node. */
  socket: string;
  version: string;
  /** The SSH login's uid on the node, which the GUI proves to the daemon. */
  uid: number;
}

/** The daemon the probe found, from its `key=value` lines; undefined when none runs or the answer is not clear. */
export function parseDaemonProbe(val: (key: string) => string[]): RunningDaemon | undefined {
  const uid = val('uid')[0];
  const socket = val('sock')[0];
  const pid = val('pid')[0];
  if (uid === undefined || !/^\d+$/.test(uid) || !socket || !pid) return undefined;
  try {
    const info = JSON.parse(pid) as { version?: unknown };
    return typeof info.version === 'string' ? { socket, version: info.version, uid: Number(uid) } : undefined;
  } catch {
    return undefined;
  }
}
