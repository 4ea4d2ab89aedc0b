/**
 * The speed check in a worker thread of the built agent bundle (dist/agent/mosixview-agent.cjs),
 * as a starting daemon runs it: it calibrates and writes speed.json, lowers only its own thread's
 * priority, and the bundle runs it for no one but a worker thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPEED_CHECK_COMMAND, workerSpeedCheck } from './speedWorker.js';

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

  it('fails with a message naming the bundle when the worker cannot run', async () => {
    await expect(workerSpeedCheck(join(dir, 'missing.cjs'))(dir, () => {})).rejects.toThrow(/missing\.cjs/);
  });

  it('is no command for a shell: the bundle prints its usage and exits 2', () => {
    const r = spawnSync(process.execPath, [BUNDLE, SPEED_CHECK_COMMAND, dir], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: mosixview-agent/);
  });
});
