import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { AGENT_PROTOCOL_VERSION, type AgentEvents, type AgentRequests } from '../../shared/protocol/agent.js';
import type { NodeSample } from '../../shared/domain/node.js';
import { statePaths, type StatePaths } from '../stateDir.js';
import { AgentDaemon } from './agentDaemon.js';
import { SpeedStore } from '../speed/calibrate.js';
import type { SpeedCheck } from '../speed/speedWorker.js';
import { STANDARD_SPEED } from '../../shared/domain/node.js';
import { proveIdentity } from './proveIdentity.js';
import { log } from '../log/log.js';
import { AGENT_VALIDATORS } from '../../shared/protocol/agent.validate.js';

type Client = RpcEndpoint<AgentRequests, Record<never, never>, Record<never, never>, AgentEvents>;

const dirs: string[] = [];
const daemons: AgentDaemon[] = [];
const sockets: Socket[] = [];

function tempPaths(): StatePaths {
  const dir = mkdtempSync(join(tmpdir(), 'mvd-'));
  dirs.push(dir);
  const paths = statePaths({ MOSIXVIEW_STATE_DIR: dir });
  // A stored calibration, which the start-up check (measure below) confirms.
  writeFileSync(join(dir, 'speed.json'), JSON.stringify({ source: 'calibrated', speed: 40000, calibrated: 40000, timedBy: 'cpu-time' }) + '\n');
  return paths;
}

/** This machine's speed as the tests' daemons measure it: no CPU time spent measuring. */
let machineSpeed = 40000;
const measure: SpeedCheck = async (dir, say) => {
  new SpeedStore(dir, { full: () => machineSpeed, quick: () => machineSpeed }).startupCheck(say);
};

async function startDaemon(paths: StatePaths) {
  let stopped = 0;
  const d = new AgentDaemon(paths, () => stopped++, undefined, undefined, measure);
  daemons.push(d);
  await d.start();
  return { d, stopCount: () => stopped };
}

async function client(paths: StatePaths): Promise<{ ep: Client; sock: Socket }> {
  const sock = connect(paths.socket);
  sockets.push(sock);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const ep: Client = new RpcEndpoint((l) => sock.write(l), {}, { timeoutMs: 10000 });
  sock.on('data', (d: Buffer) => ep.receive(d));
  sock.on('close', () => ep.close('socket closed'));
  // As the tools do: the caller (root here) proves who it is before it acts.
  await proveIdentity(ep);
  return { ep, sock };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  machineSpeed = 40000;
  for (const s of sockets.splice(0)) s.destroy();
  for (const d of daemons.splice(0)) d.stop();
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('AgentDaemon (in process)', () => {
  let paths: StatePaths;
  beforeEach(() => {
    paths = tempPaths();
  });

  it('start() listens on the socket and writes its pid file', async () => {
    await startDaemon(paths);
    expect(existsSync(paths.socket)).toBe(true);
    expect(JSON.parse(readFileSync(paths.pidFile, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('answers hello with version, protocol, pid and state dir', async () => {
    await startDaemon(paths);
    const { ep } = await client(paths);
    const hello = await ep.request('hello', { client: 'cli', version: 'test' });
    expect(hello.protocol).toBe(AGENT_PROTOCOL_VERSION);
    expect(hello.pid).toBe(process.pid);
    expect(hello.stateDir).toBe(paths.dir);
    expect(hello.version).toMatch(/^\d+\.\d+\.\d+\+/);
    expect(hello.node).toBe(process.versions.node);
    expect(typeof hello.hostname).toBe('string');
  });

  it('sample returns a plausible NodeSample; procs lists this process', async () => {
    await startDaemon(paths);
    const { ep } = await client(paths);
    const s = await ep.request('sample', null);
    expect(s.cpus).toBeGreaterThanOrEqual(1);
    expect(s.mem.totalKb).toBeGreaterThan(0);
    expect(s.mem.availableKb).toBeGreaterThan(0);
    expect(s.speed).toBe(40000);
    expect(s.procCount).toBeGreaterThan(0);
    const procs = await ep.request('procs', null);
    const me = procs.find((p) => p.pid === process.pid);
    expect(me).toBeDefined();
    expect(me!.ppid).toBe(process.ppid);
    expect(me!.where).toBe(0);
  });

  it('setSpeed is reported by getSpeed and persists across daemon restarts', async () => {
    const first = await startDaemon(paths);
    const { ep, sock } = await client(paths);
    await expect(ep.request('getSpeed', null)).resolves.toEqual({ speed: 40000, calibrated: 40000, source: 'calibrated' });
    expect(await ep.request('sample', null)).toMatchObject({ speed: 40000, speedSource: 'calibrated' });
    await expect(ep.request('setSpeed', { speed: 25000 })).resolves.toEqual({ speed: 25000 });
    await expect(ep.request('getSpeed', null)).resolves.toEqual({ speed: 25000, calibrated: 40000, source: 'admin' });
    expect(await ep.request('sample', null)).toMatchObject({ speed: 25000, speedSource: 'admin' });

    sock.destroy();
    first.d.stop();
    expect(first.stopCount()).toBe(1);
    expect(existsSync(paths.socket)).toBe(false);
    expect(existsSync(paths.pidFile)).toBe(false);

    // The admin's speed is never measured against: not even a machine twice as fast changes it.
    machineSpeed = 80000;
    await startDaemon(paths);
    const again = await client(paths);
    await expect(again.ep.request('getSpeed', null)).resolves.toEqual({ speed: 25000, calibrated: 40000, source: 'admin' });
  });

  it('serves a node never calibrated at once with the standard speed, provisional, and the calibrated one when the background check ends', async () => {
    rmSync(join(paths.dir, 'speed.json'));
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const started: string[] = [];
    const slowCheck: SpeedCheck = async (dir, say) => {
      started.push(dir);
      await gate;
      await measure(dir, say);
    };
    machineSpeed = 60000;
    const d = new AgentDaemon(paths, () => undefined, undefined, undefined, slowCheck);
    daemons.push(d);
    await d.start();
    // Not on the way of a starting cluster: the check waits for the GUI's first subscription.
    const { ep } = await client(paths);
    await ep.request('hello', { client: 'gui', version: 'test' });
    expect(started).toEqual([]);
    await ep.request('subscribe', { on: true });
    expect(started).toEqual([paths.dir]);
    const got: NodeSample[] = [];
    ep.on('sample', (s) => void got.push(s));
    expect(await ep.request('sample', null)).toMatchObject({ speed: STANDARD_SPEED, speedSource: 'provisional' });
    await expect(ep.request('getSpeed', null)).resolves.toEqual({ speed: STANDARD_SPEED, source: 'provisional' });
    finish();
    await d.checkSpeed();
    // Shown at once (republished), not only at the next tick.
    for (let i = 0; i < 50 && !got.some((s) => s.speed === 60000); i++) await sleep(10);
    expect(got.at(-1)).toMatchObject({ speed: 60000, speedSource: 'calibrated' });
    await expect(ep.request('getSpeed', null)).resolves.toEqual({ speed: 60000, calibrated: 60000, source: 'calibrated' });
  });

  it("keeps the admin's speed set before the background check ran", async () => {
    rmSync(join(paths.dir, 'speed.json'));
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const slowCheck: SpeedCheck = async (dir, say) => {
      await gate;
      await measure(dir, say);
    };
    const d = new AgentDaemon(paths, () => undefined, undefined, undefined, slowCheck);
    daemons.push(d);
    await d.start();
    const { ep } = await client(paths);
    await expect(ep.request('setSpeed', { speed: 25000 })).resolves.toEqual({ speed: 25000 });
    finish();
    await d.checkSpeed();
    // As before a calibration: a node whose admin set its speed is not measured (it is when they clear it).
    await expect(ep.request('getSpeed', null)).resolves.toEqual({ speed: 25000, source: 'admin' });
    expect(JSON.parse(readFileSync(join(paths.dir, 'speed.json'), 'utf8'))).toEqual({ source: 'admin', speed: 25000 });
  });

  it('replaces at start a calibrated speed that a fresh measurement contradicts, and logs it', async () => {
    machineSpeed = 85000;
    const logged: string[] = [];
    log.setTarget({ tag: 'mosixview-agent', journal: true, write: (s) => void logged.push(s), now: Date.now });
    try {
      const { d } = await startDaemon(paths);
      await d.checkSpeed();
    } finally {
      log.configure('mosixview-agent');
    }
    expect(logged).toContain('<6>mosixview-agent: speed 40000 (calibrated) disagrees with a fresh measurement (85000): calibrated again: 85000\n');
    const { ep } = await client(paths);
    expect(await ep.request('sample', null)).toMatchObject({ speed: 85000, speedSource: 'calibrated' });
    expect(JSON.parse(readFileSync(join(paths.dir, 'speed.json'), 'utf8'))).toMatchObject({ source: 'calibrated', speed: 85000 });
  });

  it.each([
    ['5', 5],
    ['"x"', 'x'],
    ['2.5', 2.5],
    ['2000000', 2_000_000],
  ])('setSpeed %s fails with EINVAL naming the range', async (_what, speed) => {
    await startDaemon(paths);
    const { ep } = await client(paths);
    const err = (await ep.request('setSpeed', { speed: speed as number }).catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('EINVAL');
    expect(err.message).toContain('100 to 1000000');
    await expect(ep.request('getSpeed', null)).resolves.toMatchObject({ speed: 40000 });
  });

  it('refuses a bad request at dispatch with a message naming the field, and serves the next request', async () => {
    await startDaemon(paths);
    const { ep } = await client(paths);
    // "toString" is in every object: no lookup by `in` lets it through as a metric.
    await expect(ep.request('history.series', { buckets: 10, metrics: ['load', 'toString' as 'load'] })).rejects.toMatchObject({
      code: 'EINVAL',
      message: 'metrics[1]: expected a metric name (load, mem, rmem, tmem, diskRead, diskWrite, netRx, netTx), got "toString"',
    });
    await expect(ep.request('jobs.signal', { signal: 'KILL' } as never)).rejects.toMatchObject({ code: 'EINVAL', message: expect.stringMatching(/say which process/) });
    await expect(ep.request('hello', { client: 'gui', version: '1', extra: 1 } as never)).rejects.toMatchObject({ code: 'EINVAL', message: 'extra: unknown field: send only client, version' });
    await expect(ep.request('balance.set', null as never)).rejects.toMatchObject({ code: 'EINVAL', message: expect.stringMatching(/^the request: expected an object with flag, value, got null$/) });
    // The same connection, and the daemon, still serve.
    await expect(ep.request('getSpeed', null)).resolves.toMatchObject({ speed: 40000 });
    await expect(ep.request('sample', null)).resolves.toMatchObject({ speed: 40000 });
  });

  it('every request the daemon serves has a validator, and every validator a request it serves', async () => {
    const { d } = await startDaemon(paths);
    expect(d.requestNames().sort()).toEqual(Object.keys(AGENT_VALIDATORS).sort());
  });

  it('subscribe delivers sample events until unsubscribed; setSpeed is republished at once', async () => {
    await startDaemon(paths);
    const { ep } = await client(paths);
    const got: NodeSample[] = [];
    ep.on('sample', (s) => got.push(s));
    await ep.request('subscribe', { on: true });
    const deadline = Date.now() + 8000;
    while (got.length < 2 && Date.now() < deadline) await sleep(50);
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(got[1]!.t).toBeGreaterThan(got[0]!.t);

    const n = got.length;
    await ep.request('setSpeed', { speed: 30000 });
    // The republished sample is written before the answer.
    expect(got.length).toBeGreaterThan(n);
    expect(got[got.length - 1]!.speed).toBe(30000);

    await ep.request('subscribe', { on: false });
    const m = got.length;
    await sleep(2500);
    expect(got.length).toBe(m);
  });

  it('drops a client that sends garbage, and keeps serving the others', async () => {
    await startDaemon(paths);
    const good = await client(paths);
    await good.ep.request('hello', { client: 'cli', version: 'test' });

    const bad = connect(paths.socket);
    sockets.push(bad);
    const closed = new Promise<void>((resolve) => bad.once('close', () => resolve()));
    bad.on('error', () => undefined);
    bad.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;

    const s = await good.ep.request('sample', null);
    expect(s.cpus).toBeGreaterThanOrEqual(1);
    await expect(good.ep.request('getSpeed', null)).resolves.toMatchObject({ speed: 40000 });
    // And new clients are still welcome.
    const later = await client(paths);
    await expect(later.ep.request('hello', { client: 'cli', version: 'test' })).resolves.toMatchObject({ pid: process.pid });
  });

  it('shutdown stops the daemon through onStop', async () => {
    const { stopCount } = await startDaemon(paths);
    const { ep } = await client(paths);
    await expect(ep.request('shutdown', null)).resolves.toBeNull();
    const deadline = Date.now() + 5000;
    while (stopCount() === 0 && Date.now() < deadline) await sleep(20);
    expect(stopCount()).toBe(1);
    expect(existsSync(paths.socket)).toBe(false);
  });

  it('a second daemon on the same socket fails to start with EADDRINUSE', async () => {
    await startDaemon(paths);
    const second = new AgentDaemon(paths, () => undefined, undefined, undefined, measure);
    await expect(second.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // start() began sampling before it found the socket taken; end that timer (stop() would
    // remove the first daemon's socket file).
    clearInterval((second as unknown as { timer: ReturnType<typeof setInterval> }).timer);
    // The first daemon still serves.
    const { ep } = await client(paths);
    await expect(ep.request('hello', { client: 'cli', version: 'test' })).resolves.toMatchObject({ pid: process.pid });
  });
});

describe('the process list a client asks for', () => {
  it('carries what the features know at the moment of asking, not at the last sample (a job that ended since is no longer shown away)', async () => {
    const { defineFeature } = await import('./feature.js');
    let mark = 'before';
    const marking = defineFeature({ name: 'marking', build: () => ({ annotateProcs: (procs) => procs.map((p) => ({ ...p, command: mark })) }) });
    const paths = tempPaths();
    const d = new AgentDaemon(paths, () => undefined, [marking], undefined, measure);
    daemons.push(d);
    await d.start();
    const { ep } = await client(paths);
    expect(new Set((await ep.request('procs', null)).map((p) => p.command))).toEqual(new Set(['before']));
    mark = 'after';
    // Asked at once, well within the sampling second.
    expect(new Set((await ep.request('procs', null)).map((p) => p.command))).toEqual(new Set(['after']));
  });
});

describe('start-up', () => {
  it('returns before the first sample (the daemon says ready meanwhile), which follows at once; a request before it samples', async () => {
    const { defineFeature } = await import('./feature.js');
    let samples = 0;
    const counting = defineFeature({ name: 'counting', build: () => ({ onSample: () => void samples++ }) });
    const paths = tempPaths();
    const d = new AgentDaemon(paths, () => undefined, [counting], undefined, measure);
    daemons.push(d);
    await d.start();
    expect(samples).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(samples).toBe(1);

    const later = new AgentDaemon(tempPaths(), () => undefined, [counting], undefined, measure);
    daemons.push(later);
    await later.start();
    const { ep } = await client(later.paths);
    await expect(ep.request('sample', null)).resolves.toMatchObject({ cpus: expect.any(Number) });
  });
});
