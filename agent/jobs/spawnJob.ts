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
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRef } from '../../shared/domain/process.js';
import type { JobRecord, JobSpec } from '../../shared/jobs/job.js';
import { modeStartsLocked } from '../../shared/jobs/runModes.js';
import { readSmallFile } from '../sampler/procfs.js';
import { readStat } from './procTree.js';

/** fd 3 is the exit file: closed for the command, written by the init after it. */
export const JOB_INIT = '"$@" 3>&-; echo $? >&3';

export function jobArgv(argv: readonly string[]): string[] {
  return ['--pid', '--fork', 'setsid', 'sh', '-c', JOB_INIT, 'mosixview-job', ...argv];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** unshare --fork's child: the job's init, as this node's namespace numbers it. */
async function forkedChild(parent: number, timeoutMs = 5000): Promise<number | undefined> {
  const end = Date.now() + timeoutMs;
  while (parent > 0 && Date.now() < end) {
    const kids = readSmallFile(`/proc/${parent}/task/${parent}/children`);
    const pid = Number(kids?.trim().split(/\s+/)[0]);
    if (pid > 0) return pid;
    if (!readStat(parent)) return undefined;
    await sleep(5);
  }
  return undefined;
}

/** Session ID of a process (field 6 of /proc/PID/stat). */
function sessionOf(pid: number): number | undefined {
  const t = readSmallFile(`/proc/${pid}/stat`);
  const f = t?.slice(t.lastIndexOf(')') + 2).split(' ');
  return f ? Number(f[3]) : undefined;
}

/** Until setsid has run inside, a checkpoint would fail: wait for the init to lead its session. */
async function sessionLeader(pid: number, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const sid = sessionOf(pid);
    if (sid === pid) return true;
    if (sid === undefined) return false;
    await sleep(2);
  }
  return false;
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
  /** unshare, our child: its exit tells us at once that the job ended. */
  unshare: ReturnType<typeof spawn>;
}

/**
 * Spawns the job; its ID is its init's PID here, unless the home node gave it one
 * (remote starts: runon, parallel).
 */
export async function spawnJob(spec: JobSpec, home: number, jobsDir: string, given?: JobRef): Promise<Started> {
  if (!spec.argv.length || !spec.argv[0]) throw new Error('no command given');
  if (!existsSync(spec.cwd)) throw new Error(`the working directory ${spec.cwd} does not exist on this node`);
  mkdirSync(jobsDir, { recursive: true, mode: 0o700 });
  closeLeakedFds();
  // The ID is only known after the fork; the files must be open before it.
  const tmp = join(jobsDir, `.new-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(tmp, { mode: 0o700 });
  const fds = ['stdout', 'stderr', 'exit'].map((n) => openSync(join(tmp, n), 'a', 0o600));
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('unshare', jobArgv(spec.argv), {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      // Own process group: stopping or killing the daemon's group leaves jobs alone.
      detached: true,
      stdio: ['ignore', fds[0]!, fds[1]!, fds[2]!],
    });
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const init = await Promise.race([forkedChild(child.pid ?? 0), spawnError]);
  if (init instanceof Error || init === undefined) {
    child.kill('SIGKILL');
    const why = init instanceof Error ? init.message : 'unshare exited at once (is util-linux installed, and may this user create PID namespaces?)';
    throw new Error(`could not start the job: ${why}`);
  }
  if (!(await sessionLeader(init))) {
    child.kill('SIGKILL');
    throw new Error('could not start the job: it did not become its own session leader (is setsid from util-linux installed?)');
  }
  const ref: JobRef = given ?? { home, id: init };
  let dir = join(jobsDir, `${ref.home}.${ref.id}`);
  if (existsSync(dir)) dir = `${dir}.${Date.now()}`; // a PID reused since an old job's dir was made
  // Open files follow the rename; CRIU sees the final path when it checkpoints.
  renameSync(tmp, dir);
  child.unref();
  const record: JobRecord = {
    ref,
    argv: [...spec.argv],
    cwd: spec.cwd,
    mode: spec.mode,
    dir,
    startedAt: Date.now(),
    state: 'running',
    where: 0,
    pid: init,
    locked: modeStartsLocked(spec.mode),
    migrations: 0,
  };
  const start = readStat(init)?.starttime;
  if (start !== undefined) record.pidStart = start;
  return { record, unshare: child };
}
