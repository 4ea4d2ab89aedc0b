/** The start script the GUI runs on a node with no daemon, run by a local sh with a stand-in agent file. */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStartAnswer, startDaemonScript } from './daemonStart.js';
import { keyValues } from './daemonProbe.js';

// Stands in for the agent's `daemon --ready-fd N`: listens, writes its pid file, says ready, and
// (as a real daemon's child could) leaves a child holding the descriptor, which must not hold the script.
const AGENT = `'use strict';
const fs = require('node:fs');
const dir = process.env.MOSIXVIEW_STATE_DIR;
if (process.argv[2] !== 'daemon' || process.argv[3] !== '--ready-fd') process.exit(9);
if (process.env.FAIL_START) { process.stderr.write('cannot start: test says so\\n'); process.exit(1); }
require('node:child_process').spawn('sleep', ['30'], { stdio: ['ignore', 'ignore', 'ignore', Number(process.argv[4])], detached: true }).unref();
require('node:net').createServer().listen(dir + '/agent.sock', () => {
  fs.writeFileSync(dir + '/agent.pid', JSON.stringify({ pid: process.pid, version: '9.9.9-start' }) + '\\n');
  fs.writeSync(Number(process.argv[4]), 'ready\\n');
  fs.closeSync(Number(process.argv[4]));
  process.stderr.write('serving with umask ' + process.umask().toString(8) + '\\n');
});
setTimeout(() => process.exit(0), 30000);
`;

const started: number[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid);
    } catch {
      /* gone */
    }
  }
  for (const c of cleanups.splice(0)) c();
});

function setUp(): { base: string; agent: string } {
  const base = mkdtempSync(join(tmpdir(), 'mv-daemon-start-'));
  cleanups.push(() => rmSync(base, { recursive: true, force: true }));
  const agent = join(base, "agent 'q'.cjs");
  writeFileSync(agent, AGENT);
  return { base, agent };
}

function run(agent: string, stateDir: string, env: NodeJS.ProcessEnv = {}) {
  const out = execFileSync('sh', ['-s'], {
    // The login's umask: the daemon and the jobs it starts keep it.
    input: 'umask 022\n' + startDaemonScript({ nodePath: process.execPath, agentFile: agent }),
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/nonexistent', MOSIXVIEW_STATE_DIR: stateDir, ...env },
    timeout: 20000,
  });
  const answer = parseStartAnswer(keyValues(out));
  if ('daemon' in answer) started.push(JSON.parse(readFileSync(join(stateDir, 'agent.pid'), 'utf8')).pid);
  return answer;
}

describe("starting the node's daemon from the login shell, without a relay process", () => {
  it('starts it in a state directory not made yet, returns once it says ready, and leaves it running with its output in agent.log', () => {
    const { base, agent } = setUp();
    const dir = join(base, 'state dir');
    const answer = run(agent, dir);
    expect(answer).toEqual({ daemon: { socket: join(dir, 'agent.sock'), version: '9.9.9-start', uid: process.getuid!() } });
    const pid = started[0]!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(readFileSync(join(dir, 'agent.log'), 'utf8')).toBe('serving with umask 22\n');
    // Made private, as attach makes it (ensureStateDir).
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("leaves a node the admin stopped to attach, which says so (and starts nothing)", () => {
    const { base, agent } = setUp();
    const dir = join(base, 'state');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'stopped-by-admin'), '{}\n');
    expect(run(agent, dir)).toEqual({ relay: 'the agent was stopped by the admin' });
    expect(existsSync(join(dir, 'agent.sock'))).toBe(false);
  });

  it("leaves a state directory that is not the login's to attach (only its owner may start that agent)", () => {
    const { base, agent } = setUp();
    const dir = join(base, 'state');
    mkdirSync(dir, { mode: 0o755 });
    chownSync(dir, 65534, 65534);
    expect(run(agent, dir)).toEqual({ relay: `${dir} is not this login's` });
    expect(existsSync(join(dir, 'agent.sock'))).toBe(false);
  });

  it('says where to look when the daemon ends before it is ready', () => {
    const { base, agent } = setUp();
    const dir = join(base, 'state');
    expect(run(agent, dir, { FAIL_START: '1' })).toEqual({ relay: `the daemon did not say ready; see ${dir}/agent.log` });
    expect(readFileSync(join(dir, 'agent.log'), 'utf8')).toBe('cannot start: test says so\n');
  });

  it('reads an answer without a start line as a reason to relay', () => {
    expect(parseStartAnswer(keyValues('uid=0\n'))).toEqual({ relay: 'the start script gave no answer' });
  });
});
