/**
 * The daemon's policy for errors nothing caught (a throw in a timer or event callback, a
 * rejected promise nobody awaited).
 *
 * Node's default is to die. The daemon holds jobs mid-migration (frozen on one node while
 * their image travels), balancer state and client sessions; one bug in one callback must
 * not drop all of that. So: log the error with its stack and keep serving.
 *
 * But going on is only right while the daemon still works. Two signs that it does not:
 * - the same error (same message, thrown at the same place) more than REPEAT_LIMIT times
 *   within REPEAT_WINDOW_MS: a callback failing on every tick or every message, which
 *   logging will not cure;
 * - its state dir cannot be written: job records, sequence marks and the socket live there,
 *   so the daemon would serve while losing what it must remember.
 * Then it exits non-zero (EX_SOFTWARE, EX_IOERR), and the service manager restarts it
 * (build/systemd: Restart=on-failure), with its own limit on restarts in a row. Jobs
 * survive the restart (KillMode=process) and the new daemon finds them in the state dir.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../stateDir.js';
import { log } from '../log/log.js';

export const REPEAT_LIMIT = 20;
export const REPEAT_WINDOW_MS = 60_000;
/** The state dir is probed after an unexpected error, but not more often than this. */
export const PROBE_EVERY_MS = 5000;
/** sysexits.h: internal software error; input/output error. */
export const EXIT_REPEATING = 70;
export const EXIT_STATE_DIR = 74;

export type UnexpectedKind = 'uncaught exception' | 'unhandled rejection';

export interface UnexpectedErrorDeps {
  stateDir: string;
  log(line: string): void;
  /** Throws when the state dir cannot be written. */
  probeStateDir(): void;
  /** Ends the daemon with this status (after what cleanup it can do). */
  exit(code: number): void;
  now?(): number;
}

/** Same message, thrown at the same place: the first frame of the stack. */
function sameErrorKey(e: unknown): string {
  if (!(e instanceof Error)) return `value: ${String(e)}`;
  const frame = (e.stack ?? '').split('\n').find((l) => l.trim().startsWith('at ')) ?? '';
  return `${e.name}: ${e.message} @ ${frame.trim()}`;
}

function described(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}

export class UnexpectedErrors {
  private readonly seen = new Map<string, number[]>();
  private probedAt = -Infinity;
  private exiting = false;

  constructor(private readonly deps: UnexpectedErrorDeps) {}

  handle(kind: UnexpectedKind, e: unknown): void {
    if (this.exiting) return;
    const now = this.deps.now?.() ?? Date.now();
    this.deps.log(`${kind} (the daemon goes on): ${described(e)}`);
    const key = sameErrorKey(e);
    const times = (this.seen.get(key) ?? []).filter((t) => now - t < REPEAT_WINDOW_MS);
    times.push(now);
    this.seen.set(key, times);
    for (const [k, ts] of this.seen) if (ts.every((t) => now - t >= REPEAT_WINDOW_MS)) this.seen.delete(k);
    if (times.length > REPEAT_LIMIT) {
      this.stop(EXIT_REPEATING, `the same error ${times.length} times within ${REPEAT_WINDOW_MS / 1000} s: exiting for the service manager to restart the agent`);
      return;
    }
    if (now - this.probedAt < PROBE_EVERY_MS) return;
    this.probedAt = now;
    try {
      this.deps.probeStateDir();
    } catch (err) {
      this.stop(EXIT_STATE_DIR, `the agent cannot write its state dir ${this.deps.stateDir} (${(err as Error).message}): exiting for the service manager to restart the agent`);
    }
  }

  private stop(code: number, why: string): void {
    this.exiting = true;
    this.deps.log(why);
    this.deps.exit(code);
  }
}

/** Writes, syncs and removes a small file in the state dir: throws what stops that. */
export function probeStateDir(dir: string): void {
  const file = join(dir, '.write-probe');
  writeAtomic(file, `${process.pid} ${Date.now()}\n`);
  rmSync(file, { force: true });
}

/** Routes the process's uncaught exceptions and unhandled rejections to the policy. */
export function installUnexpectedErrorPolicy(deps: UnexpectedErrorDeps): UnexpectedErrors {
  const policy = new UnexpectedErrors(deps);
  const guarded = (kind: UnexpectedKind) => (e: unknown) => {
    try {
      policy.handle(kind, e);
    } catch {
      /* a failing log must not turn into a second uncaught exception (Node would exit with 7) */
    }
  };
  process.on('uncaughtException', guarded('uncaught exception'));
  process.on('unhandledRejection', guarded('unhandled rejection'));
  return policy;
}

/**
 * The policy for a running daemon: logs through the agent's logger (journal or log file), probes `stateDir`,
 * and exits by setting process.exitCode and stopping the daemon, whose stop ends the
 * process with that code (or ends it here when stopping fails too).
 */
export function installDaemonErrorPolicy(stateDir: string, stopDaemon: () => void): UnexpectedErrors {
  return installUnexpectedErrorPolicy({
    stateDir,
    log: (line) => log.error(line),
    probeStateDir: () => probeStateDir(stateDir),
    exit: (code) => {
      process.exitCode = code;
      try {
        stopDaemon();
      } finally {
        process.exit(code);
      }
    },
  });
}
