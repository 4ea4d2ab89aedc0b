/**
 * `mosixview-agent attach`: what the GUI's SSH session runs. It relays its stdio to the
 * node's daemon, starting the daemon first when none runs (or replacing one of another
 * version). With --embedded and no daemon running, it serves the protocol itself for as
 * long as its stdin is open: the GUI's embedded default leaves nothing running behind.
 */
import type { Socket } from 'node:net';
import { AGENT_VERSION } from '../version.js';
import { ensureStateDir, type StatePaths } from '../stateDir.js';
import { AgentDaemon } from './agentDaemon.js';
import { installDaemonErrorPolicy } from './unexpectedErrors.js';
import { clearStaleSocket, daemonInfo, spawnDaemon, stopDaemon, tryConnect, waitForSocket } from './daemonSocket.js';

function die(message: string): never {
  process.stderr.write(`mosixview-agent: ${message}\n`);
  process.exit(3);
}

async function connectCurrentDaemon(paths: StatePaths): Promise<Socket | undefined> {
  const sock = await tryConnect(paths.socket);
  if (!sock) return undefined;
  const info = daemonInfo(paths);
  if (info && info.version === AGENT_VERSION) return sock;
  sock.destroy();
  process.stderr.write(`mosixview-agent: replacing daemon ${info?.version ?? '(unknown version)'} with ${AGENT_VERSION}\n`);
  await stopDaemon(paths);
  return undefined;
}

function relay(sock: Socket): void {
  process.stdin.pipe(sock);
  sock.pipe(process.stdout);
  process.stdin.on('end', () => sock.end());
  sock.on('close', () => {
    if (process.stdin.readableEnded) process.exit(0);
    die('the agent daemon closed the connection (stopped or crashed); see its log');
  });
  sock.on('error', (e) => die(`lost the agent daemon: ${e.message}`));
}

export async function attach(paths: StatePaths, bundle: string, embedded: boolean): Promise<void> {
  ensureStateDir(paths);
  let sock = await connectCurrentDaemon(paths);
  if (!sock) {
    await clearStaleSocket(paths);
    if (embedded) {
      const daemon = new AgentDaemon(paths, () => process.exit());
      installDaemonErrorPolicy(paths.dir, () => daemon.stop());
      await daemon.start();
      daemon.serve(process.stdin, process.stdout, () => daemon.stop());
      return;
    }
    spawnDaemon(paths, bundle);
    sock = await waitForSocket(paths, 20000);
    if (!sock) die(`the agent daemon did not start within 20 s; see ${paths.log}`);
  }
  relay(sock);
}
