/**
 * The speed check as a starting daemon runs it: the built agent's own small code in a process
 * of its own session at autogroup nice 19, or from source a worker thread of the built bundle
 * (dist/agent/mosixview-agent.cjs); it calibrates and writes speed.json, and the bundle runs
 * its command for no one but a worker thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPEED_CHECK_COMMAND, speedCheckPids, stopSpeedChecks, workerSpeedCheck } from './speedWorker.js';
import { speedWorkerCode } from '../../build/speedWorkerCode.mjs';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BUNDLE = join(ROOT, 'dist/agent/mosixview-agent.cjs');
let dir: string;

/** The nice value of the calling thread (field 19 of its stat). */
const threadNice = (): number => Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);

beforeAll(() => {
  if (!existsSync(BUNDLE)) execFileSync(process.execPath, ['build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'mv-speedw-'));
}, 120000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the speed check in a worker thread', () => {
  it('calibrates a node never calibrated, writes speed.json, and leaves the calling thread at its priority', async () => {
    const before = threadNice();
    const said: string[] = [];
    await workerSpeedCheck(BUNDLE)(dir, (m) => said.push(m));
    const file = JSON.parse(readFileSync(join(dir, 'speed.json'), 'utf8')) as { source: string; speed: number; calibrated: number; timedBy: string };
    expect(file).toMatchObject({ source: 'calibrated', timedBy: 'cpu-time' });
    expect(file.speed).toBe(file.calibrated);
    expect(file.calibrated).toBeGreaterThan(0);
    expect(threadNice()).toBe(before);
    // A first calibration is not news: nothing to log.
    expect(said).toEqual([]);
  }, 60000);

  it("runs the check's own code built into the bundle, not the bundle: a starting daemon does not load the whole agent twice", async () => {
    const code = await speedWorkerCode();
    expect(code.length).toBeLessThan(readFileSync(BUNDLE, 'utf8').length / 10);
    // A speed timed by the wall clock is measured again, and that is said.
    writeFileSync(join(dir, 'speed.json'), JSON.stringify({ calibrated: 40000 }) + '\n');
    const said: string[] = [];
    // The bundle's path names nothing here: the code alone must do the check.
    await workerSpeedCheck(join(dir, 'no-bundle-here.cjs'), code)(dir, (m) => said.push(m));
    expect(JSON.parse(readFileSync(join(dir, 'speed.json'), 'utf8'))).toMatchObject({ source: 'calibrated', timedBy: 'cpu-time' });
    expect(said).toEqual([expect.stringMatching(/^speed 40000 \(calibrated\) was timed by the wall clock, which counts the time other processes ran: calibrated again: \d+$/)]);
  }, 60000);

  it('carries that code in the built bundle', async () => {
    // As a string literal in the bundle: a stretch with no quote, backslash or newline reads the same there.
    const stretch = /[^'"\\\n]{300,}/.exec(await speedWorkerCode())?.[0];
    expect(stretch).toBeDefined();
    expect(readFileSync(BUNDLE, 'utf8')).toContain(stretch);
  });

  it("runs the built check as a process in a session of its own, at autogroup nice 19, and leaves the daemon's autogroup as it was", async () => {
    const code = await speedWorkerCode();
    rmSync(join(dir, 'speed.json'), { force: true });
    const ownBefore = readFileSync('/proc/self/autogroup', 'utf8');
    const seen: { pid: number; session: number; autogroup: string; own: boolean }[] = [];
    let running = true;
    // A full calibration takes a few hundred ms of CPU: long enough to look at the process.
    const watch = (async () => {
      while (running) {
        for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
          try {
            const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
            if (Number(stat[1]) !== process.pid) continue;
            seen.push({ pid: Number(pid), session: Number(stat[3]), autogroup: readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim(), own: speedCheckPids().includes(Number(pid)) });
          } catch {
            /* gone meanwhile */
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await workerSpeedCheck(join(dir, 'no-bundle-here.cjs'), code)(dir, () => {});
    running = false;
    await watch;
    expect(JSON.parse(readFileSync(join(dir, 'speed.json'), 'utf8'))).toMatchObject({ source: 'calibrated', timedBy: 'cpu-time' });
    const check = seen.filter((s) => s.autogroup.endsWith(' nice 19'));
    expect(check.length).toBeGreaterThan(0);
    expect(check.every((s) => s.session === s.pid)).toBe(true);
    // The daemon's own work, as the thread was: its CPU is not the node's load (Sampler selfPids).
    expect(check.every((s) => s.own)).toBe(true);
    expect(speedCheckPids()).toEqual([]);
    expect(readFileSync('/proc/self/autogroup', 'utf8')).toBe(ownBefore);
  }, 60000);

  it('says why when the check process fails', async () => {
    await expect(workerSpeedCheck('unused', "process.stderr.write('cannot measure here\\n'); process.exit(3)")(dir, () => {})).rejects.toThrow(/ended with code 3: cannot measure here$/);
  });

  it('fails with a message naming the bundle when the worker cannot run', async () => {
    await expect(workerSpeedCheck(join(dir, 'missing.cjs'))(dir, () => {})).rejects.toThrow(/missing\.cjs/);
  });

  it('is no command for a shell: the bundle prints its usage and exits 2', () => {
    const r = spawnSync(process.execPath, [BUNDLE, SPEED_CHECK_COMMAND, dir], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: mosixview-agent/);
  });
});

describe('a daemon that stops', () => {
  it('ends its speed check with it: nothing runs on, nothing is written into the state dir afterwards', async () => {
    const code = await speedWorkerCode();
    const fresh = mkdtempSync(join(tmpdir(), 'mv-speedstop-'));
    try {
      const check = workerSpeedCheck(BUNDLE, code)(fresh, () => undefined);
      const outcome = check.then(() => 'finished', (e: Error) => e.message);
      await new Promise((r) => setTimeout(r, 50));
      const pids = speedCheckPids();
      expect(pids).toHaveLength(1);
      stopSpeedChecks();
      expect(await outcome).toMatch(/ended with signal SIGKILL/);
      expect(existsSync(`/proc/${pids[0]}`)).toBe(false);
      expect(existsSync(join(fresh, 'speed.json'))).toBe(false);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60000);
});
