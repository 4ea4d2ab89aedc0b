/**
 * A job of another user, started by the agent (root): its directory and files are made by
 * that user, in their home, and the job's command runs with their uid, group and
 * supplementary groups. Root never creates a file in a directory the user
 * controls: a link they planted there would make root write where they may not.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants, fchownSync, fstatSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Account } from './accounts.js';

/** The files a job writes through its fds: stdout, stderr, and its exit status (fd 3). */
export const JOB_FILES = ['stdout', 'stderr', 'exit'] as const;

/**
 * setpriv (util-linux, as unshare and setsid) runs the command as the user: the job's init
 * (its PID namespace's 1, the fixed shell that records the exit status) stays root. CRIU needs
 * that: its parasite mounts a /proc of the namespace in the init, which a process of an
 * ordinary user may not ("can't dump unprivileged task whose /proc doesn't belong to it").
 * Every process of the command runs as the user. --init-groups takes the supplementary
 * groups from the node's account database (initgroups(3)), which Node's spawn would drop.
 * Only numbers go into the shell text.
 */
export function asUserArgv(a: Account): string[] {
  return ['setpriv', `--reuid=${a.uid}`, `--regid=${a.gid}`, '--init-groups', '--'];
}

function runAs(a: Account, script: string, args: string[]): void {
  const r = spawnSync('sh', ['-c', script, 'mosixview-job-files', ...args], {
    uid: a.uid, gid: a.gid, cwd: '/', encoding: 'utf8', timeout: 10_000, env: { PATH: '/usr/bin:/bin', HOME: a.home },
  });
  if (r.status !== 0) throw new Error(`as ${a.user} (uid ${a.uid}): ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`);
}

/** Makes jobsDir (if need be), the new job's directory and its empty files, all as the user. */
export function prepareJobDirAs(a: Account, jobsDir: string, dir: string): void {
  try {
    runAs(a, 'umask 077 && mkdir -p -- "$1" && mkdir -- "$2" && : > "$2/stdout" && : > "$2/stderr" && : > "$2/exit"', [jobsDir, dir]);
  } catch (e) {
    throw new Error(`could not make the job directory ${dir}: ${(e as Error).message}; give the job a directory ${a.user} may write (mosrun -o DIR)`);
  }
}

/** Writes a small file of the job's directory as the user (the marker of a failed start). */
export function writeAsUser(a: Account, path: string, text: string): void {
  runAs(a, 'umask 077 && printf %s "$2" > "$1"', [path, text]);
}

/**
 * The job's fds. Ours: created here. Another user's: the files they made, opened without
 * following a link and checked to be theirs and plain, else refused (a swapped directory).
 */
export function openJobFiles(dir: string, a?: Account): number[] {
  const fds: number[] = [];
  try {
    for (const name of JOB_FILES) {
      const path = join(dir, name);
      if (!a) {
        fds.push(openSync(path, 'a', 0o600));
        continue;
      }
      const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
      fds.push(fd);
      const st = fstatSync(fd);
      if (!st.isFile() || st.uid !== a.uid || st.nlink !== 1) throw new Error(`${path} is not a plain file of ${a.user} (uid ${a.uid}): refusing to use it`);
      fchownSync(fd, a.uid, a.gid);
    }
  } catch (e) {
    for (const fd of fds) closeSync(fd);
    throw e;
  }
  return fds;
}
