/**
 * The speed check of a starting daemon (SpeedStore.startupCheck: a quick run, or a full
 * calibration on a node never calibrated), off the daemon's thread and at the lowest priority;
 * the measurement counts its own CPU time, so the priority does not change the figure.
 *
 * The built agent runs it as a process in a session of its own (speedWorkerMain.ts, a few kB
 * of code the bundle carries, fed on its stdin), whose autogroup it sets to nice 19
 * (autogroup.ts): a worker thread at nice 19 inside the daemon's session yielded to nothing
 * outside it, and loaded the whole agent a second time first. The daemon's own session keeps
 * its priority: its samples are due every second. Run from source (tests), the check runs in a
 * worker thread of the whole bundle, as before.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SpeedStore } from './calibrate.js';
import { lowerStartedAutogroup } from './autogroup.js';

/** Checks (or calibrates) the speed stored in `stateDir`, writing speed.json; `log` gets what it decided. */
export type SpeedCheck = (stateDir: string, log: (message: string) => void) => Promise<void>;

/** The command the bundle's main runs in a worker thread where no check code is built in. */
export const SPEED_CHECK_COMMAND = 'speed-check';

declare const __SPEED_WORKER_CODE__: string | undefined;
/** Put in by build/build.mjs; undefined when the agent runs from source (tests). */
const BUILT_WORKER_CODE = typeof __SPEED_WORKER_CODE__ === 'string' ? __SPEED_WORKER_CODE__ : undefined;

/** The check in a process of `code` when given (the built agent's), else in a worker thread of the whole `bundle`. */
export function workerSpeedCheck(bundle: string, code = BUILT_WORKER_CODE): SpeedCheck {
  return code !== undefined ? (stateDir, log) => inProcess(code, stateDir, log) : (stateDir, log) => inWorker(bundle, stateDir, log);
}

/** The check processes running now: the daemon's own work, left out of the node's load as its threads are. */
const runningChecks = new Set<number>();
export function speedCheckPids(): number[] {
  return [...runningChecks];
}

/**
 * Ends the check processes of a daemon that stops: they run in sessions of their own, so
 * nothing else ends them, and one left running would write speed.json into a state
 * directory after its agent stopped (or while it is being removed).
 */
export function stopSpeedChecks(): void {
  for (const pid of runningChecks) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function inProcess(code: string, stateDir: string, log: (message: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // detached: setsid, a session (and autogroup) of its own.
    const child = spawn(process.execPath, ['-', stateDir], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) {
      runningChecks.add(pid);
      lowerStartedAutogroup(pid);
    }
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) if (l) log(l);
    });
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-600)));
    child.stdin.on('error', () => undefined);
    child.stdin.end(code);
    child.once('error', reject);
    child.once('close', (exit, signal) => {
      if (pid !== undefined) runningChecks.delete(pid);
      if (exit === 0) return resolve();
      const how = signal ? `signal ${signal}` : `code ${exit}`;
      reject(new Error(`the speed check (a process of ${process.execPath}) ended with ${how}${err.trim() ? `: ${err.trim().split('\n').pop()}` : ''}`));
    });
  });
}

function inWorker(bundle: string, stateDir: string, log: (message: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = new Worker(bundle, { argv: [SPEED_CHECK_COMMAND, stateDir] });
    w.on('message', (m: { log?: unknown }) => {
      if (typeof m?.log === 'string') log(m.log);
    });
    w.once('error', reject);
    w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the speed check (worker thread of ${bundle}) exited with code ${code}`))));
  });
}

/** The check's side: lowest priority for this thread (Linux keeps nice per thread), then the check; `say` gets what it decided. */
export function runSpeedCheckHere(stateDir: string, say: (message: string) => void, store = new SpeedStore(stateDir)): void {
  try {
    setPriority(0, 19);
  } catch {
    /* not permitted here: the check runs at the daemon's priority, as it did before */
  }
  store.startupCheck(say);
}
