/**
 * mosixview-agent: one bundled file per node, Node.js >= 18 and built-in modules only.
 *   attach [--embedded] [--start|--stop]
 *                         relay stdio to the node's daemon (what the GUI runs over SSH);
 *                         --stop stops it until --start (the GUI's Stop/Start agent)
 *   daemon [--map FILE] [--ready-fd N]
 *                         run the daemon in the foreground (systemd, or started by attach or
 *                         the GUI's start script, which waits for "ready" on descriptor N);
 *                         --map: apply this map file at start (the service's /etc/mosixview/hpc.map)
 *   stop                  stop the running daemon
 *   --version             print the agent version
 */
import { AGENT_VERSION } from './version.js';
import { clientStatePaths, statePaths, ensureStateDir } from './stateDir.js';
import { attach } from './daemon/attach.js';
import { AgentDaemon } from './daemon/agentDaemon.js';
import { clearStaleSocket, stopDaemon, tryConnect } from './daemon/daemonSocket.js';
import { installDaemonErrorPolicy } from './daemon/unexpectedErrors.js';
import { mosctl } from './cli/mosctl.js';
import { setpe } from './cli/setpe.js';
import { mon } from './cli/mon.js';
import { jobsCli } from './jobs/cli.js';
import { CliError } from './cli/daemonClient.js';
import { installTools, TOOLS, writeTools } from './cli/installTools.js';
import { isAbsolute, resolve } from 'node:path';
import { mosixcollector } from './collector/collectorCli.js';
import { toolInfo } from './cli/toolInfo.js';
import { log } from './log/log.js';
import { applyMapFileAtStart, parseDaemonArgs } from './peer/mapFileAtStart.js';
import { hostname } from 'node:os';
import { closeSync, writeSync } from 'node:fs';
import { isMainThread, parentPort } from 'node:worker_threads';
import { runSpeedCheckHere, SPEED_CHECK_COMMAND } from './speed/speedWorker.js';

const USAGE = `usage: mosixview-agent {attach [--embedded] [--start|--stop] | daemon [--map FILE] [--ready-fd N] | stop | status | install-tools DIR | --version | TOOL ARGS}\n  TOOL: ${TOOLS.join(', ')}`;

async function runDaemon(args: string[]): Promise<void> {
  const { mapFile, readyFd } = parseDaemonArgs(args);
  const paths = statePaths();
  ensureStateDir(paths);
  // Started by attach, stderr is paths.log: the logger then appends to it by name and rotates it.
  log.configure('mosixview-agent', paths.log);
  const existing = await tryConnect(paths.socket);
  if (existing) {
    existing.destroy();
    log.error(`a daemon already serves ${paths.socket}`);
    process.exit(1);
  }
  await clearStaleSocket(paths);
  // Before the peer service reads the map: the node joins the cluster its file describes.
  if (mapFile) {
    const note = applyMapFileAtStart(paths.dir, mapFile, hostname());
    log[note.level](note.message);
  }
  // Ends with process.exitCode: 0, or what the error policy set (see unexpectedErrors.ts).
  const daemon = new AgentDaemon(paths, () => process.exit());
  installDaemonErrorPolicy(paths.dir, () => daemon.stop());
  await daemon.start();
  // Test hook (agent/daemon/unexpectedErrors.test.ts): SIGUSR2 throws from a timer, as a bug in
  // any callback would. Only with this variable: without a handler SIGUSR2 would end the daemon.
  if (process.env.MOSIXVIEW_TEST_FAULTS === '1') {
    process.on('SIGUSR2', () =>
      setTimeout(() => {
        throw new Error('test fault: thrown in a timer on SIGUSR2');
      }),
    );
  }
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => daemon.stop());
  log.info(`daemon ${process.pid} (version ${AGENT_VERSION}) serving ${paths.socket}`);
  if (readyFd !== undefined) sayReady(readyFd);
  // After ready: the tools are for a shell on the node, not for the GUI waiting on this start
  // (a cold cluster start has every daemon writing them into the shared agent dir at once).
  installTools(process.argv[1] ?? '');
}

/**
 * Tells the GUI's start script that the socket serves (electron/ssh/daemonStart.ts), then lets
 * go of the descriptor: the script's read ends there, and it is no pipe for this daemon's life.
 */
function sayReady(fd: number): void {
  try {
    writeSync(fd, 'ready\n');
    closeSync(fd);
  } catch (e) {
    log.warn(`could not say ready on descriptor ${fd}: ${(e as Error).message}`);
  }
}

// A tool piped into `head` must end quietly when the reader goes away.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  const bundle = process.argv[1] ?? '';
  const info = toolInfo(cmd ?? '', rest, AGENT_VERSION);
  if (info !== undefined) {
    process.stdout.write(info + '\n');
    return;
  }
  switch (cmd) {
    case '--version':
    case 'version':
      process.stdout.write(AGENT_VERSION + '\n');
      return;
    case 'attach':
      return attach(clientStatePaths(), bundle, rest.includes('--embedded'), rest.includes('--stop') ? 'stop' : rest.includes('--start') ? 'start' : 'attach');
    case 'daemon':
      return runDaemon(rest);
    case SPEED_CHECK_COMMAND:
      // Only as the daemon's worker thread when run from source (speed/speedWorker.ts), never from a shell.
      if (!isMainThread && rest[0]) return runSpeedCheckHere(rest[0], (message) => parentPort?.postMessage({ log: message }));
      process.stderr.write(USAGE + '\n');
      process.exit(2);
      return;
    case 'stop': {
      const stopped = await stopDaemon(statePaths());
      process.stdout.write(stopped ? 'agent stopped\n' : 'no agent was running\n');
      return;
    }
    case 'status': {
      const s = await tryConnect(statePaths().socket);
      s?.destroy();
      process.stdout.write(s ? 'agent running\n' : 'agent not running\n');
      process.exit(s ? 0 : 1);
      return;
    }
    case 'install-tools': {
      if (rest.length !== 1) throw new CliError('install-tools needs the directory to put mosctl, mosrun, ... in, e.g. install-tools /usr/local/bin');
      const dir = isAbsolute(rest[0]!) ? rest[0]! : resolve(rest[0]!);
      writeTools(dir, resolve(bundle));
      process.stdout.write(`installed ${TOOLS.join(', ')} in ${dir} (each runs ${resolve(bundle)} with ${process.execPath})\n`);
      return;
    }
    case 'mosrun': case 'migrate': case 'mps': case 'nomig': case 'runhome': case 'runon': case 'cpujob': case 'iojob': case 'nodecay': case 'slowdecay': case 'fastdecay':
      return jobsCli(cmd, rest, (s) => process.stdout.write(s + '\n'));
    case 'mosctl':
      return mosctl(rest, (s) => process.stdout.write(s + '\n'));
    case 'setpe': return setpe(rest, (s) => process.stdout.write(s + '\n'));
    case 'mon': return mon(rest, (s) => process.stdout.write(s + '\n'));
    case 'mosixcollector': return mosixcollector(rest, (s) => process.stdout.write(s + '\n'), bundle);
    default:
      process.stderr.write(USAGE + '\n');
      process.exit(2);
  }
}

// A tool wrapper runs "<bundle> mosctl ...": errors are prefixed with the tool's name.
main(process.argv.slice(2)).catch((e: Error) => {
  const tool = process.argv[2] ?? 'mosixview-agent';
  process.stderr.write(`${tool}: ${e.message}\n`);
  process.exit(e instanceof CliError ? 2 : 1);
});
