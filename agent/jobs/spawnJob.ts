/**
 * Starts a job on this node so that CRIU can move it anywhere:
 *
 *   unshare --pid --fork setsid sh -c JOB_INIT mosixview-job COMMAND ARGS...
 *
 * - its own PID namespace: restored elsewhere, its PIDs cannot clash with the target's;
 * - setsid: CRIU refuses a tree whose session leader is outside its PID namespace;
 * - no --kill-child: a parent-death signal is restored too, and would kill the job the
 *   moment `criu restore -d` exits;
 * - the init is a fixed sh script that runs "$@" (the argv, never parsed by a shell) and
 *   writes the exit status through fd 3 into <jobdir>/exit. The file lives on the shared
 *   filesystem and the fd moves with the checkpoint, so the status arrives wherever the
 *   job ends, and whichever agent (restarted or not) looks later. CRIU's own exit code
 *   says nothing about the job.
 * stdin is /dev/null (a terminal could not move); stdout and stderr are files in the job dir.
 * The start answers once the program has been executed, or with the shell's reason why not.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { asUserArgv, openJobFiles, prepareJobDirAs, writeAsUser } from './runAsUser.js';
import { jobEnv, type Account } from './accounts.js';
import { join } from 'node:path';
import type { JobRef } from '../../shared/domain/process.js';
import type { JobRecord, JobSpec } from '../../shared/jobs/job.js';
import { modeStartsLocked } from '../../shared/jobs/runModes.js';
import { cleanStartError, isStartFailureStatus } from '../../shared/jobs/startFailure.js';
import { readSmallFile } from '../sampler/procfs.js';
import { readStat } from './procTree.js';

/** fd 3 is the exit file: closed for the command, written by the init after it. */
export const JOB_INIT = '"$@" 3>&-; echo $? >&3';

/** unshare's arguments; with `runAs`, the init runs the command as that user (runAsUser.ts). */
export function jobArgv(argv: readonly string[], runAs?: Account): string[] {
  return ['--pid', '--fork', 'setsid', 'sh', '-c', runAs ? `${asUserArgv(runAs).join(' ')} ${JOB_INIT}` : JOB_INIT, 'mosixview-job', ...argv];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Longest wait for a started program to be executed (or to fail): a fork and an exec take ms. */
export const EXEC_WAIT_MS = 3000;

/** unshare --fork's child: the job's init, as this node's namespace numbers it. */
async function forkedChild(parent: number, timeoutMs = 5000): Promise<number | undefined> {
  const end = Date.now() + timeoutMs;
  while (parent > 0 && Date.now() < end) {
    const pid = childrenOf(parent)[0];
    if (pid) return pid;
    if (!readStat(parent)) return undefined;
    await sleep(2);
  }
  return undefined;
}

function childrenOf(pid: number): number[] {
  return (readSmallFile(`/proc/${pid}/task/${pid}/children`) ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
}

const running = (pid: number) => {
  const st = readStat(pid);
  return !!st && st.state !== 'Z';
};

/** Session ID of a process (field 6 of /proc/PID/stat). */
function sessionOf(pid: number): number | undefined {
  const t = readSmallFile(`/proc/${pid}/stat`);
  const f = t?.slice(t.lastIndexOf(')') + 2).split(' ');
  return f ? Number(f[3]) : undefined;
}

/** Until setsid has run inside, a checkpoint would fail: wait for the init to lead its session. */
async function sessionLeader(pid: number, timeoutMs = 5000): Promise<'leader' | 'gone' | 'timeout'> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const sid = sessionOf(pid);
    if (sid === pid) return 'leader';
    if (sid === undefined || !running(pid)) return 'gone';
    await sleep(2);
  }
  return 'timeout';
}

/** The status the init wrote through fd 3, once the command has ended. */
function exitStatusIn(dir: string): number | undefined {
  const t = readSmallFile(join(dir, 'exit'))?.trim();
  return t && /^\d+$/.test(t) ? Number(t) : undefined;
}

/**
 * Until the init's child has executed the program, a start cannot say "running": the shell
 * forks, then the child execs the program or prints "not found" and exits 127. A forked
 * child that has not exec'd yet has the init's own command line. A builtin runs in the init
 * itself, without a child: then only the exit file tells. Bounded: on a node too busy to
 * exec within EXEC_WAIT_MS, the job is taken as running and its end is recorded later.
 */
async function execOutcome(init: number, dir: string, waitMs = EXEC_WAIT_MS): Promise<{ ran: true } | { status: number | undefined }> {
  const end = Date.now() + waitMs;
  while (Date.now() < end) {
    const status = exitStatusIn(dir);
    if (status !== undefined) return { status };
    // Read each time: right after setsid() the init may still be exec'ing sh.
    const own = readSmallFile(`/proc/${init}/cmdline`);
    for (const kid of childrenOf(init)) {
      const cmd = readSmallFile(`/proc/${kid}/cmdline`);
      // Empty while a process execs or once it is a zombie: not an answer yet; setpriv
      // (another user's job) is only on its way to the program.
      if (cmd && own && cmd !== own && !cmd.startsWith('setpriv\0')) return { ran: true };
    }
    if (!running(init)) return { status: exitStatusIn(dir) };
    await sleep(2);
  }
  return { ran: true };
}

/**
 * Node opens every fd close-on-exec; one without that flag was inherited from whoever
 * started the daemon (a shell's pipe, an ssh channel). The job would inherit it too, and
 * a pipe to a process outside the job makes it unmovable, so such fds are closed first.
 */
export function closeLeakedFds(): number[] {
  const closed: number[] = [];
  let fds: string[] = [];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return closed;
  }
  for (const name of fds) {
    const fd = Number(name);
    if (fd <= 2) continue;
    const flags = /flags:\s*(\d+)/.exec(readSmallFile(`/proc/self/fdinfo/${fd}`) ?? '')?.[1];
    if (flags === undefined || (parseInt(flags, 8) & 0o2000000) !== 0) continue;
    try {
      closeSync(fd);
      closed.push(fd);
    } catch {
      /* already gone */
    }
  }
  return closed;
}

export interface Started {
  record: JobRecord;
  /** unshare, our child while the job runs: its exit tells us at once that the job ended. */
  unshare?: ReturnType<typeof spawn>;
}

/** The last part of a file the job wrote (its stderr): enough for the shell's message. */
function tail(path: string, max = 8192): string {
  return (readSmallFile(path, 1 << 20) ?? '').slice(-max);
}

/**
 * Spawns the job and answers once its program runs, or once it is clear that it never
 * will (not found, not executable: an exited record with the shell's message). Its ID is
 * its init's PID here, unless the home node gave it one (remote starts: runon, parallel);
 * a job that ended before its init could even be seen takes `freeId(unshare's PID)`.
 */
export async function spawnJob(
  spec: JobSpec,
  home: number,
  jobsDir: string,
  given?: JobRef,
  freeId: (pid: number) => number = (pid) => pid,
  runAs?: Account,
): Promise<Started> {
  if (!spec.argv.length || !spec.argv[0]) throw new Error('no command given');
  if (!existsSync(spec.cwd)) throw new Error(`the working directory ${spec.cwd} does not exist on this node`);
  // The ID is only known after the fork; the files must be open before it.
  const tmp = join(jobsDir, `.new-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  if (runAs) {
    prepareJobDirAs(runAs, jobsDir, tmp);
  } else {
    mkdirSync(jobsDir, { recursive: true, mode: 0o700 });
    mkdirSync(tmp, { mode: 0o700 });
  }
  closeLeakedFds();
  const fds = openJobFiles(tmp, runAs);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('unshare', jobArgv(spec.argv, runAs), {
      cwd: spec.cwd,
      env: runAs ? jobEnv(runAs, spec.env) : spec.env ?? process.env,
      // Own process group: stopping or killing the daemon's group leaves jobs alone.
      detached: true,
      stdio: ['ignore', fds[0]!, fds[1]!, fds[2]!],
    });
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const init = await Promise.race([forkedChild(child.pid ?? 0), spawnError]);
  if (init instanceof Error) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`could not start the job: ${init.message} (is util-linux installed? mosrun needs its unshare and setsid)`);
  }
  let outcome: { ran: true } | { status: number | undefined };
  if (init === undefined) {
    // unshare is gone already: either the whole job ran and ended in that time, or unshare failed.
    await Promise.race([exited, sleep(1000)]);
    const status = exitStatusIn(tmp);
    if (status === undefined) {
      const why = cleanStartError(tail(join(tmp, 'stderr'))) || 'unshare exited at once';
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`could not start the job: ${why} (may this user create PID namespaces? mosrun runs every job in its own)`);
    }
    outcome = { status };
  } else {
    const lead = await sessionLeader(init);
    if (lead === 'timeout') {
      child.kill('SIGKILL');
      throw new Error('could not start the job: it did not become its own session leader (is setsid from util-linux installed?)');
    }
    outcome = lead === 'gone' ? { status: exitStatusIn(tmp) } : await execOutcome(init, tmp);
  }
  const ref: JobRef = given ?? { home, id: init ?? freeId(child.pid ?? 0) };
  let dir = join(jobsDir, `${ref.home}.${ref.id}`);
  if (existsSync(dir)) dir = `${dir}.${Date.now()}`; // a PID reused since an old job's dir was made
  // Open files follow the rename; CRIU sees the final path when it checkpoints.
  renameSync(tmp, dir);
  child.unref();
  const record: JobRecord = {
    ref,
    ...(spec.owner ? { owner: spec.owner } : {}),
    argv: [...spec.argv],
    cwd: spec.cwd,
    mode: spec.mode,
    dir,
    startedAt: Date.now(),
    state: 'running',
    where: 0,
    locked: modeStartsLocked(spec.mode),
    migrations: 0,
  };
  if ('status' in outcome) {
    // Ended before it could be seen running: a status, or none when something killed it.
    const status = outcome.status;
    record.state = status === undefined ? 'lost' : 'exited';
    if (status !== undefined) record.exitStatus = status;
    if (isStartFailureStatus(status)) {
      record.startError = cleanStartError(tail(join(dir, 'stderr')));
      // For the home node of a remote start, which sees the job only through this directory.
      if (runAs) writeAsUser(runAs, join(dir, START_FAILED_FILE), `${status}\n`);
      else writeFileSync(join(dir, START_FAILED_FILE), `${status}\n`, { mode: 0o600 });
    }
    return { record };
  }
  record.pid = init;
  const start = init === undefined ? undefined : readStat(init)?.starttime;
  if (start !== undefined) record.pidStart = start;
  return { record, unshare: child };
}

/** In a job's directory: the program could not be run (its content is the exit status). */
export const START_FAILED_FILE = 'start-failed';
