/**
 * Starting jobs for real on this machine (unshare, /proc): a start answers only once the
 * program has really been executed, or with why it could not be. Needs root (PID namespaces).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFailure } from '../../shared/jobs/startFailure.js';
import { JobsService } from './jobsService.js';
import { readStat } from './procTree.js';

if (process.getuid?.() !== 0) throw new Error('these tests start jobs in their own PID namespace and need root: run them as root');

const root = mkdtempSync(join(tmpdir(), 'mvstart-'));
const started: number[] = [];
const jobs = new JobsService({ stateDir: join(root, 'state'), env: { MOSIXVIEW_NODE_ID: '1', MOSIXVIEW_JOBS_DIR: join(root, 'jobs') } });
const spec = (argv: string[]) => ({ argv, cwd: root, mode: { kind: 'plain' as const } });

afterAll(() => {
  for (const p of started) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(root, { recursive: true, force: true });
});

describe('a job start answers with what really happened', () => {
  it('a program that does not exist: exited 127, recorded so, the program and the shell named in words', async () => {
    // Failing at once used to race: "started (running)" one time, "is util-linux installed?" the next.
    for (let i = 0; i < 8; i++) {
      const [r] = await jobs.start(spec(['/no/such/program', 'x']));
      expect(r).toMatchObject({ state: 'exited', exitStatus: 127, where: 0 });
      expect(r!.pid).toBeUndefined();
      expect(startFailure(r!)).toBe('could not run /no/such/program (exit status 127, command not found): /no/such/program: not found');
      expect(jobs.job(r!.ref)).toMatchObject({ state: 'exited', exitStatus: 127 });
      expect(readFileSync(join(r!.dir, 'exit'), 'utf8').trim()).toBe('127');
    }
  });

  it('a file that cannot be executed: exited 126, with the shell\'s reason', async () => {
    const file = join(root, 'not-a-program');
    writeFileSync(file, 'data\n');
    chmodSync(file, 0o644);
    const [r] = await jobs.start(spec([file]));
    expect(r).toMatchObject({ state: 'exited', exitStatus: 126 });
    expect(startFailure(r!)).toBe(`could not run ${file} (exit status 126, found but cannot be executed: no permission, a directory, or not a program): ${file}: Permission denied`);
  });

  it('a program that runs is reported running only once it has been executed', async () => {
    const [r] = await jobs.start(spec(['/bin/sleep', '30']));
    started.push(r!.pid!);
    expect(r!.state).toBe('running');
    // The init's child is the program now, not a copy of the init shell about to exec.
    const kids = readFileSync(`/proc/${r!.pid}/task/${r!.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(kids.map((k) => readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0').filter(Boolean))).toEqual([['/bin/sleep', '30']]);
    jobs.signal({ ref: r!.ref }, 'KILL');
  });

  it('a program that ends at once is recorded with its status, not as a failed start', async () => {
    const [r] = await jobs.start(spec(['/bin/sh', '-c', 'exit 3']));
    if (r!.state === 'running') {
      // It may still be ending: the init then reports the status through the exit file.
      await new Promise<void>((res) => {
        const t = setInterval(() => {
          if (readStat(r!.pid!) === undefined) {
            clearInterval(t);
            res();
          }
        }, 10);
      });
      jobs.poll();
    }
    expect(jobs.job(r!.ref)).toMatchObject({ state: 'exited', exitStatus: 3 });
    expect(startFailure(jobs.job(r!.ref))).toBeUndefined();
  });

  it('a missing working directory is refused before anything runs', async () => {
    await expect(jobs.start({ ...spec(['/bin/true']), cwd: join(root, 'nowhere') })).rejects.toThrow(/working directory .*nowhere does not exist/);
    expect(existsSync(join(root, 'nowhere'))).toBe(false);
  });
});
