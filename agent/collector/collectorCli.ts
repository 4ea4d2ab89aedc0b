/**
 * mosixcollector, with the options of openMosix's (HOWTO 12.2.11):
 *   -d start as a daemon   -k stop   -c stop and delete the history
 *   -n [label] write a checkpoint   -r save the history and start a new one   -h help
 * `--run` is what -d starts in the background: the collector itself, in the foreground.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { CliError } from '../cli/daemonClient.js';
import { statePaths } from '../stateDir.js';
import { collectorPaths, loadSettings, type CollectorPaths } from './config.js';
import { claimPidFile, releasePidFile, runningCollector } from './pidFile.js';
import { collectorRequest } from './control.js';
import { describeWriteError } from './store/writeErrors.js';
import { Collector } from './collector.js';
import { DaemonViewSource } from './clusterViewSource.js';
import { log as agentLog } from '../log/log.js';
import { exportCommand } from './exportCommand.js';

export const USAGE = `usage: mosixcollector {-d | -k | -c | -n [label] | -r | --export FROM TO [options] | -h}
  -d          start the collector as a daemon (one per node; history in <state>/collector)
  -k          stop the collector
  -c          stop the collector and delete the current history
  -n [label]  write a checkpoint (a blue line in the load and memory history)
  -r          save the current history as a dated backup and start a new one
  --export FROM TO [--format csv|json] [--nodes 1,2,...] [--history load|mem|io] [--backup NAME]
              print every recorded second from FROM to TO (both included) as CSV (default:
              one row per second, one column per node and metric) or JSON; every node
              recorded in the range unless --nodes; the load history unless --history mem.
              FROM, TO: 2026-11-29T14:00:00Z, "2026-11-29 14:00" (local time), 14:00,
              today, yesterday, now, -1h, -30m, -1h30m, -2d, @SECONDS
  -h, -help   this help`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function logTail(p: CollectorPaths): string {
  try {
    return readFileSync(p.log, 'utf8').trim().split('\n').slice(-3).join('\n');
  } catch {
    return '';
  }
}

/** The collector's directory and its first files: a read-only or full disk is said so, not thrown as an errno. */
function inCollectorDir<T>(p: CollectorPaths, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CliError || typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    throw new Error(describeWriteError(e, p.dir, 'start the collector'));
  }
}

/** The running collector's last write problem, if it answers within a second. */
async function lastProblem(p: CollectorPaths): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 1000)));
  const st = await Promise.race([collectorRequest(p.socket, 'status', null).catch(() => undefined), timeout]);
  clearTimeout(timer);
  const pr = st?.problem;
  if (!pr) return '';
  return `\nits last problem (${new Date(pr.since).toISOString()}${pr.until ? `, over at ${new Date(pr.until).toISOString()}` : ', still going on'}): ${pr.message}`;
}

async function startDaemon(p: CollectorPaths, bundle: string, out: (s: string) => void): Promise<void> {
  const other = runningCollector(p.pidFile);
  if (other !== undefined) throw new CliError(`the collector is already running (pid ${other}); stop it with "mosixcollector -k"${await lastProblem(p)}`);
  for (const x of loadSettings(p).problems) process.stderr.write(`mosixcollector: setting ignored, the default applies: ${x}\n`);
  const log = inCollectorDir(p, () => {
    mkdirSync(p.dir, { recursive: true });
    return openSync(p.log, 'a');
  });
  const child = spawn(process.execPath, [bundle, 'mosixcollector', '--run'], { detached: true, stdio: ['ignore', log, log], env: process.env });
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  child.unref();
  for (let i = 0; i < 100 && exited === null; i++) {
    if (runningCollector(p.pidFile) === child.pid && existsSync(p.socket)) {
      out(`mosixcollector started (pid ${child.pid}), history in ${p.current}`);
      return;
    }
    await sleep(100);
  }
  throw new Error(`the collector did not start${exited !== null ? ` (exit code ${exited})` : ' within 10 s'}; see ${p.log}: ${logTail(p)}`);
}

async function stopCollector(p: CollectorPaths, out: (s: string) => void): Promise<void> {
  const pid = runningCollector(p.pidFile);
  if (pid === undefined) {
    rmSync(p.pidFile, { force: true });
    out('mosixcollector is not running');
    return;
  }
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100; i++) {
    if (runningCollector(p.pidFile) !== pid) {
      out(`mosixcollector stopped (pid ${pid})`);
      return;
    }
    await sleep(100);
  }
  process.kill(pid, 'SIGKILL');
  releasePidFile(p.pidFile, pid);
  out(`mosixcollector did not stop within 10 s: killed (pid ${pid})`);
}

async function runForeground(p: CollectorPaths, bundle: string): Promise<void> {
  const claim = inCollectorDir(p, () => {
    mkdirSync(p.dir, { recursive: true });
    return claimPidFile(p.pidFile);
  });
  if (!claim.ok) throw new CliError(`the collector is already running (pid ${claim.other})`);
  // Started by `mosixcollector` (-d), stderr is collector.log: the logger appends to it by name and rotates it.
  agentLog.configure('mosixcollector', p.log);
  const log = (s: string) => agentLog.info(s);
  try {
    const { settings, problems } = loadSettings(p);
    for (const x of problems) log(`setting ignored: ${x}`);
    const c = new Collector(p, settings, new DaemonViewSource(statePaths(), bundle, log), log);
    await c.start();
    log(`pid ${process.pid} recording to ${p.current} (procs every ${settings.procsEveryS} s, new history every ${settings.rotateEveryS} s, backups kept ${settings.retentionDays} days)`);
    const quit = () => {
      c.stop();
      try {
        releasePidFile(p.pidFile);
      } catch (e) {
        log(`the pid file ${p.pidFile} was left behind (a stale one does not block the next start): ${(e as Error).message}`);
      }
      log('stopped');
      process.exit(0);
    };
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, quit);
  } catch (e) {
    releasePidFile(p.pidFile);
    throw e;
  }
}

function needRunning(p: CollectorPaths): void {
  if (runningCollector(p.pidFile) === undefined) throw new CliError('the collector is not running: start it with "mosixcollector -d"');
}

export async function mosixcollector(args: string[], out: (s: string) => void, bundle: string): Promise<void> {
  return collectorCommand(collectorPaths(statePaths()), args, out, bundle);
}

/** One mosixcollector option on the collector at `p`: the tool runs it, and the agent for the GUI (history.*). */
export async function collectorCommand(p: CollectorPaths, args: string[], out: (s: string) => void, bundle: string, write?: (text: string) => Promise<void> | void): Promise<void> {
  const [opt, ...rest] = args;
  switch (opt) {
    case '-d':
      return startDaemon(p, bundle, out);
    case '--run':
      return runForeground(p, bundle);
    case '-k':
      return stopCollector(p, out);
    case '-c':
      await stopCollector(p, out);
      rmSync(p.current, { recursive: true, force: true });
      out(`history deleted (${p.current})`);
      return;
    case '-n': {
      needRunning(p);
      const label = rest.join(' ');
      const { t } = await collectorRequest(p.socket, 'checkpoint', { label });
      out(`checkpoint${label ? ` ${JSON.stringify(label)}` : ''} written at ${new Date(t).toISOString()}`);
      return;
    }
    case '-r': {
      needRunning(p);
      const { backup } = await collectorRequest(p.socket, 'rotate', null);
      out(backup ? `history saved as ${backup}; a new one started` : 'there was no history to save; a new one started');
      return;
    }
    case '--export':
      return exportCommand(p, rest, write);
    case '-h':
    case '-help':
    case '--help':
      out(USAGE);
      return;
    default:
      throw new CliError(opt ? `unknown option "${opt}"\n${USAGE}` : USAGE);
  }
}
