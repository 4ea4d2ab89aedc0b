/**
 * "Stop agent" lasts: `attach --stop` stops the daemon and records it, a plain `attach`
 * (the GUI reconnecting, or another GUI) then starts nothing and says why, `attach --start`
 * runs it again. Uses the built bundle, as the GUI does over SSH.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTACH_EXIT_STOPPED, type AgentHello } from '../../shared/protocol/agent.js';
import { STOP_FILE } from './adminStop.js';
import { attachAndHello } from './attachClient.test-util.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BUNDLE = join(ROOT, 'dist/agent/mosixview-agent.cjs');
const children: ChildProcessWithoutNullStreams[] = [];
const pids = new Set<number>();
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (!existsSync(BUNDLE)) execFileSync(process.execPath, ['build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'mv-attach-'));
  writeFileSync(join(dir, 'speed.json'), JSON.stringify({ calibrated: 40000 }) + '\n');
  env = { ...process.env, MOSIXVIEW_STATE_DIR: dir };
}, 120000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  spawnSync(process.execPath, [BUNDLE, 'stop'], { env, timeout: 10000 });
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(dir, { recursive: true, force: true });
}, 30000);

async function hello(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; hello: AgentHello }> {
  const a = await attachAndHello(BUNDLE, env, args, (c) => children.push(c));
  pids.add(a.hello.pid);
  return a;
}

const run = (args: string[]) => spawnSync(process.execPath, [BUNDLE, 'attach', ...args], { env, encoding: 'utf8', input: '', timeout: 30000 });
const running = () => spawnSync(process.execPath, [BUNDLE, 'status'], { env, timeout: 10000 }).status === 0;

describe('attach --stop / --start', () => {
  it('a stopped agent stays stopped for every later attach until attach --start', async () => {
    const first = await hello([]);
    first.child.stdin.end();
    expect(running()).toBe(true);

    const stop = run(['--stop']);
    expect(stop.status, stop.stderr).toBe(0);
    expect(running()).toBe(false);
    expect(existsSync(join(dir, STOP_FILE))).toBe(true);

    for (const attempt of [1, 2]) {
      const again = run([]);
      expect(again.status, `attempt ${attempt}: ${again.stderr}`).toBe(ATTACH_EXIT_STOPPED);
      expect(again.stderr).toMatch(/agent stopped by the admin \(Stop agent in Mosixview.*\): it stays stopped until "Start agent" in Mosixview/);
      expect(running()).toBe(false);
    }

    const started = await hello(['--start']);
    expect(started.hello.pid).not.toBe(first.hello.pid);
    expect(existsSync(join(dir, STOP_FILE))).toBe(false);
    started.child.stdin.end();
    expect((await hello([])).hello.pid).toBe(started.hello.pid);
  }, 90000);
});
