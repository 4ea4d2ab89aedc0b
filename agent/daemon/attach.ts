/**
 * `mosixview-agent attach`: what the GUI's SSH session runs. It relays its stdio to the
 * node's daemon, starting the daemon first when none runs (or replacing one of another
 * version). With --embedded and no daemon running, it serves the protocol itself for as
 * long as its stdin is open: the GUI's embedded default leaves nothing running behind.
 * `--stop` ("Stop agent") stops the daemon and records that, so later attaches start none
 * and exit ATTACH_EXIT_STOPPED saying why; `--start` ("Start agent") clears the record.
 */
import type { Socket } from 'node:net';
import { statSync } from 'node:fs';
import { ATTACH_EXIT_STOPPED } from '../../shared/protocol/agent.js';
import { AGENT_VERSION } from '../version.js';
import { ensureStateDir, type StatePaths } from '../stateDir.js';
import { AgentDaemon } from './agentDaemon.js';
import { installDaemonErrorPolicy } from './unexpectedErrors.js';
import { clearStaleSocket, daemonInfo, spawnDaemon, stopDaemon, tryConnect, waitForSocket } from './daemonSocket.js';
import { clearAdminStop, describeAdminStop, readAdminStop, recordAdminStop } from './adminStop.js';
import { proveOnSocket } from './proveIdentity.js';

export type AttachMode = 'attach' | 'start' | 'stop';

function die(message: string): never {
  process.stderr.write(`mosixview-agent: ${message}\n`);
  process.exit(3);
}

async function connectCurrentDaemon(paths: StatePaths): Promise<Socket | undefined> {
  const sock = await tryConnect(paths.socket);
  if (!sock) return undefined;
  const info = daemonInfo(paths);
  if (info && info.version === AGENT_VERSION) return sock;
  // Root's agent attached to by another user (the GUI logged in as the admin's own user): not ours to replace.
  if (info?.supervisor || (process.getuid?.() !== 0 && info && !sameUser(paths))) {
    // The node's packaged agent: its service manager owns it, so it stays; the GUI reads its
    // version in hello and tells the admin what to do.
    process.stderr.write(`mosixview-agent: attached to the node's agent ${info.version} run by ${info.supervisor} (this copy is ${AGENT_VERSION})\n`);
    return sock;
  }
  sock.destroy();
  process.stderr.write(`mosixview-agent: replacing daemon ${info?.version ?? '(unknown version)'} with ${AGENT_VERSION}\n`);
  await stopDaemon(paths);
  return undefined;
}

/** Whether this state directory is our own user's (a non-root user's own agent). */
function sameUser(paths: StatePaths): boolean {
  try {
    return statSync(paths.dir).uid === process.getuid?.();
  } catch {
    return true;
  }
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

/** Who stopped it, in words: the GUI's address when it came over SSH. */
function stopper(env: NodeJS.ProcessEnv): string {
  const from = env.SSH_CLIENT?.split(' ')[0];
  return `Stop agent in Mosixview${from ? ` from ${from}` : ''}`;
}

export async function attach(paths: StatePaths, bundle: string, embedded: boolean, mode: AttachMode = 'attach'): Promise<void> {
  if (mode !== 'attach' && process.getuid?.() !== 0 && !sameUser(paths)) {
    die(`the node's agent (${paths.dir}) is root's: only root may stop or start it (Stop agent / Start agent need the profile's SSH user to be root)`);
  }
  ensureStateDir(paths);
  if (mode === 'stop') {
    // Recorded first: an attach racing the stop must not start the daemon again.
    recordAdminStop(paths.dir, { at: new Date().toISOString(), by: stopper(process.env) });
    const was = await stopDaemon(paths);
    process.stderr.write(`mosixview-agent: ${was ? 'agent stopped' : 'no agent was running'}; it stays stopped until "Start agent"\n`);
    process.exit(0);
  }
  if (mode === 'start') clearAdminStop(paths.dir);
  let sock = await connectCurrentDaemon(paths);
  if (!sock) {
    const stopped = readAdminStop(paths.dir);
    if (stopped) {
      process.stderr.write(`mosixview-agent: ${describeAdminStop(stopped)}\n`);
      process.exit(ATTACH_EXIT_STOPPED);
    }
    if (process.getuid?.() !== 0 && !sameUser(paths)) {
      die(`the node's agent (${paths.dir}, root's) is not running, and only root may start it: start it (systemctl start mosixview-agent), or log in as root`);
    }
    await clearStaleSocket(paths);
    if (embedded) {
      const daemon = new AgentDaemon(paths, () => process.exit());
      installDaemonErrorPolicy(paths.dir, () => daemon.stop());
      await daemon.start();
      // Our own stdio: whoever talks here is the user this agent runs as.
      daemon.serve(process.stdin, process.stdout, () => daemon.stop(), daemon.selfCaller());
      return;
    }
    spawnDaemon(paths, bundle);
    sock = await waitForSocket(paths, 20000);
    if (!sock) die(`the agent daemon did not start within 20 s; see ${paths.log}`);
  }
  // The GUI's requests act as the user it logged in as over SSH: proved once, for the whole session.
  try {
    await proveOnSocket(sock);
  } catch (e) {
    die(`could not prove to the agent who this session is: ${(e as Error).message}`);
  }
  relay(sock);
}
