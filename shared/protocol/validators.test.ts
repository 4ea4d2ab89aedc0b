/**
 * The validators of the protocol maps: one per channel, and the rules the handlers checked
 * before validation moved to dispatch (jobParams.ts, params.ts, the inline checks).
 */
import { describe, expect, it } from 'vitest';
import { refusal } from './refusal.test-util.js';
import { API_CHANNELS } from './api.js';
import { API_VALIDATORS } from './api.validate.js';
import { AGENT_VALIDATORS } from './agent.validate.js';
import { PEER_VALIDATORS } from './peer.validate.js';
import { MAX_SHARE_FILES } from './peerJobs.validate.js';
import { validateRequest } from './validate.js';
import { REMOTE_ID_BASE } from '../jobs/job.js';

const api = (channel: string, req: unknown) => validateRequest(API_VALIDATORS, channel, req);
const agent = (channel: string, req: unknown) => validateRequest(AGENT_VALIDATORS, channel, req);


describe('every channel has its validator', () => {
  it('the API: every channel the preload allows has one, and no validator names a channel that is not one', () => {
    expect(Object.keys(API_VALIDATORS).sort()).toEqual([...API_CHANNELS].sort());
  });
});

describe('jobs API (was electron/jobs/jobParams.ts)', () => {
  const start = (over: Record<string, unknown>) => api('job.start', { nodeId: 1, argv: ['x'], cwd: '/', mode: { kind: 'nomig' }, ...over });

  it('takes a good start as it is', () => {
    const req = { nodeId: 1, argv: ['/bin/sleep', '300'], cwd: '/tmp', mode: { kind: 'parallel', first: 1, last: 3, invert: false } };
    expect(api('job.start', req)).toEqual(req);
    expect(start({ mode: { kind: 'cpujob', node: 2 } })).toMatchObject({ mode: { kind: 'cpujob', node: 2 } });
  });

  it('refuses bad start parameters with words an admin understands', () => {
    expect(refusal(() => start({ argv: 'sleep 300' }))).toBe('argv: expected a list of 1 to 1024 texts: the program, then its arguments, got "sleep 300"');
    expect(refusal(() => start({ argv: [] }))).toMatch(/^argv: expected a list of 1 to 1024/);
    expect(refusal(() => start({ argv: ['/bin/sh', 'a\0b'] }))).toBe('argv[1]: contains a NUL character, which no program can receive: remove it');
    expect(refusal(() => start({ argv: ['/bin/sh', 3] }))).toMatch(/^argv\[1\]: expected a text of at most 65536 characters, got 3$/);
    expect(refusal(() => start({ argv: [''] }))).toBe('argv[0]: the program name is empty: choose a program');
    expect(refusal(() => start({ cwd: 'tmp' }))).toBe('cwd: expected an absolute path (starting with /, at most 4096 characters), got "tmp"');
    expect(refusal(() => start({ cwd: '/a\0' }))).toMatch(/^cwd: expected an absolute path/);
    expect(refusal(() => start({ mode: { kind: 'shell' } }))).toMatch(/^mode\.kind: expected one of the run modes \(plain, nomig, .*parallel\), got "shell"$/);
    expect(refusal(() => start({ mode: { kind: 'toString' } }))).toMatch(/^mode\.kind: expected one of the run modes/);
    expect(refusal(() => start({ mode: { kind: 'runon' } }))).toBe('mode.node: expected a node number (a whole number from 1 to 65535), got nothing');
    expect(refusal(() => start({ mode: { kind: 'parallel', first: 1, last: 3 } }))).toBe('mode.invert: expected true or false, got nothing');
    expect(refusal(() => start({ mode: { kind: 'nomig', node: 0 } }))).toMatch(/^mode\.node: expected a node number/);
    expect(refusal(() => start({ nodeId: 'x' }))).toBe('nodeId: expected a node number (a whole number from 1 to 65535), got "x"');
  });

  it('signal, renice, lock, migrate: the ranges and the process named by pid or ref', () => {
    expect(api('job.signal', { nodeId: 2, pid: 77, signal: 'STOP' })).toEqual({ nodeId: 2, pid: 77, signal: 'STOP' });
    expect(api('job.renice', { nodeId: 2, ref: { home: 1, id: 5 }, nice: -20 })).toEqual({ nodeId: 2, ref: { home: 1, id: 5 }, nice: -20 });
    expect(refusal(() => api('job.renice', { nodeId: 2, pid: 77, nice: 20 }))).toBe('nice: expected a whole number from -20 to 19, got 20');
    expect(refusal(() => api('job.signal', { nodeId: 2, pid: 77, signal: 'HUP' }))).toBe('signal: expected KILL, STOP or CONT, got "HUP"');
    expect(refusal(() => api('job.signal', { nodeId: 2, signal: 'KILL' }))).toMatch(/^the request: say which process: "pid" .* or "ref"/);
    expect(refusal(() => api('job.signal', { nodeId: 2, pid: 7, ref: { home: 1, id: 5 }, signal: 'KILL' }))).toBe('the request: both "pid" and "ref": send one of them');
    expect(refusal(() => api('job.status', { nodeId: 2, pid: 0 }))).toMatch(/^pid: expected a process ID/);
    expect(refusal(() => api('job.status', { nodeId: 2, ref: { home: 0, id: 5 } }))).toMatch(/^ref\.home: expected a node number/);
    expect(refusal(() => api('job.status', { nodeId: 2, ref: { home: 1, id: 1.5 } }))).toMatch(/^ref\.id: expected a job number/);
    expect(refusal(() => api('job.lock', { nodeId: 2, pid: 7, locked: 'yes' }))).toBe('locked: expected true or false, got "yes"');
    expect(refusal(() => api('job.migrate', { nodeId: 1, pid: 7, to: 'far' }))).toBe('to: expected a node number (1 to 65535), "home" or "best", got "far"');
    expect(api('job.migrate', { nodeId: 1, pid: 7, to: 'best' })).toMatchObject({ to: 'best' });
    expect(refusal(() => api('job.forget', { nodeId: 1, ref: 'x' }))).toBe('ref: expected a job identity { home: node number, id: job number }, got "x"');
  });

  it('node.files: an absolute path or the home directory, nothing relative', () => {
    expect(api('node.files', { nodeId: 1, path: '~' })).toEqual({ nodeId: 1, path: '~' });
    expect(api('node.files', { nodeId: 1, path: '~/bin' })).toEqual({ nodeId: 1, path: '~/bin' });
    expect(refusal(() => api('node.files', { nodeId: 1, path: '../etc' }))).toMatch(/^path: expected an absolute path/);
  });
});

describe('core, balancing, history and membership API (was params.ts and inline checks)', () => {
  it('node.setSpeed: a speed in range, a node number', () => {
    expect(refusal(() => api('node.setSpeed', { nodeId: 2, speed: 'fast' }))).toBe('speed: expected a speed (a whole number from 100 to 1000000; 10000 = the reference CPU), got "fast"');
    expect(refusal(() => api('node.setSpeed', null))).toBe('the request: expected an object with nodeId, speed, got null');
  });

  it('balance: a flag of the four, true or false; a node or "all"', () => {
    expect(api('balance.setFlag', { nodeId: 'all', flag: 'block', value: true })).toEqual({ nodeId: 'all', flag: 'block', value: true });
    expect(refusal(() => api('balance.setFlag', { nodeId: 2, flag: 'mfs', value: true }))).toBe('flag: expected one of "stay", "lstay", "block", "quiet", got "mfs"');
    expect(refusal(() => api('balance.setFlag', { nodeId: 2, flag: 'stay', value: 1 }))).toBe('value: expected true or false, got 1');
    expect(refusal(() => api('balance.state', { nodeId: 'every' }))).toBe('nodeId: expected a node number (1 to 65535) or "all", got "every"');
    expect(refusal(() => api('balance.view', { nodeId: 'all' }))).toMatch(/^nodeId: expected a node number/);
  });

  it('history: a checkpoint label of at most 200 characters (may be empty); at needs t', () => {
    expect(api('history.checkpoint', { label: '' })).toEqual({ label: '' });
    for (const bad of [null, {}, { label: 3 }, { label: 'x'.repeat(201) }]) {
      expect(refusal(() => api('history.checkpoint', bad))).toMatch(/at most 200 characters|object with label/);
    }
    expect(refusal(() => api('history.at', {}))).toBe('t: expected a time in ms since 1970 (at most 8640000000000000), got nothing');
    expect(api('history.procs', {})).toEqual({});
  });

  it('history.series: buckets, metric names (never "toString"), times, recorded without since', () => {
    const ok = { buckets: 10, metrics: ['load'] };
    expect(api('history.series', ok)).toEqual(ok);
    expect(refusal(() => api('history.series', { ...ok, metrics: ['load', 'toString'] }))).toBe('metrics[1]: expected a metric name (load, mem, rmem, tmem, diskRead, diskWrite, netRx, netTx), got "toString"');
    expect(refusal(() => api('history.series', { ...ok, metrics: [] }))).toMatch(/^metrics: expected a list of 1 to 16 items/);
    expect(refusal(() => api('history.series', { ...ok, buckets: 0 }))).toBe('buckets: expected a whole number from 1 to 10000, got 0');
    expect(refusal(() => api('history.series', { ...ok, since: 'soon' }))).toMatch(/^since: expected a time in ms/);
    expect(refusal(() => api('history.series', { ...ok, from: 1e300 }))).toMatch(/^from: expected a time in ms/);
    expect(refusal(() => api('history.series', { ...ok, recorded: 'yes' }))).toBe('recorded: expected true or false, got "yes"');
    expect(refusal(() => api('history.series', { ...ok, recorded: true, since: 5 }))).toBe('since: since needs the columns of the last answer: pass its from, to and buckets, not recorded');
  });

  it('history.prepare: the columns and metrics of a window about to open, nothing else', () => {
    const ok = { buckets: 900, metrics: ['load'] };
    expect(api('history.prepare', ok)).toEqual(ok);
    expect(refusal(() => api('history.prepare', { ...ok, buckets: 10_001 }))).toBe('buckets: expected a whole number from 1 to 10000, got 10001');
    expect(refusal(() => api('history.prepare', { ...ok, metrics: ['toString'] }))).toMatch(/^metrics\[0\]: expected a metric name/);
    expect(refusal(() => api('history.prepare', { ...ok, from: 5 }))).toMatch(/from/);
  });

  it('membership: a key ID to adopt', () => {
    expect(refusal(() => api('clusterKey.adopt', {}))).toMatch(/^keyId: expected the key ID to adopt/);
    expect(refusal(() => api('clusterKey.rotate', { now: true }))).toMatch(/^the request: expected null/);
  });
});

describe('agent protocol (was inline in the daemon and its features)', () => {
  it('setSpeed, setDecay, set: the ranges mosctl has', () => {
    expect(refusal(() => agent('setSpeed', { speed: 5 }))).toMatch(/^speed: .*100 to 1000000/);
    expect(agent('balance.setDecay', { intervalS: 1, slow: 975, fast: 926 })).toEqual({ intervalS: 1, slow: 975, fast: 926 });
    expect(refusal(() => agent('balance.setDecay', { intervalS: 0 }))).toBe('intervalS: expected whole seconds from 1 to 3600, got 0');
    expect(refusal(() => agent('balance.setDecay', { intervalS: 1, slow: 975 }))).toBe('the request: give slow and fast together, or neither');
    expect(refusal(() => agent('balance.setDecay', { intervalS: 1, slow: 900, fast: 926 }))).toMatch(/^slow: slow \(900\) must not be below fast \(926\)/);
    expect(refusal(() => agent('balance.set', { flag: 'mfs', value: true }))).toMatch(/^flag: expected a flag \(stay, lstay, block, quiet\)/);
  });

  it('history: observe needs self and rows; a checkpoint label of at most 200 characters', () => {
    expect(refusal(() => agent('history.observe', { nodes: [] }))).toMatch(/^self: expected a node number/);
    expect(refusal(() => agent('history.observe', { self: 1, nodes: [{ id: 1, host: 'a', status: 'sideways' }] }))).toMatch(/^nodes\[0\]\.status: expected one of/);
    expect(refusal(() => agent('history.checkpoint', { label: 'x'.repeat(201) }))).toMatch(/^label: expected a text of at most 200/);
  });

  it('a job started elsewhere is named at its home by the job number mosrun printed, above any PID (migrate ID kill)', () => {
    const id = REMOTE_ID_BASE + 2;
    expect(agent('jobs.signal', { pid: id, signal: 'KILL' })).toEqual({ pid: id, signal: 'KILL' });
    expect(agent('jobs.migrate', { pid: id, to: 'home' })).toEqual({ pid: id, to: 'home' });
    expect(api('job.signal', { nodeId: 1, pid: id, signal: 'KILL' })).toEqual({ nodeId: 1, pid: id, signal: 'KILL' });
    expect(refusal(() => agent('jobs.signal', { pid: 0, signal: 'KILL' }))).toMatch(/^pid: expected a process ID/);
  });

  it('jobs: the same targets as the API, by pid or ref alone', () => {
    expect(agent('jobs.signal', { ref: { home: 1, id: 2 }, signal: 'KILL' })).toEqual({ ref: { home: 1, id: 2 }, signal: 'KILL' });
    expect(refusal(() => agent('jobs.signal', { nodeId: 1, pid: 3, signal: 'KILL' }))).toBe('nodeId: unknown field: send only pid, signal');
    expect(refusal(() => agent('jobs.setNodeId', { node: 0 }))).toMatch(/^node: expected a node number/);
    expect(refusal(() => agent('jobs.start', { argv: ['x'], cwd: '/', mode: { kind: 'nomig' }, env: { PATH: 1 } }))).toBe('env.PATH: expected a text of at most 1048576 characters (may be empty), got 1');
    expect(refusal(() => agent('fs.list', { path: 'etc' }))).toMatch(/^path: expected an absolute path/);
  });
});

describe('can it migrate, and what is shared', () => {
  const peer = (channel: string, req: unknown) => validateRequest(PEER_VALIDATORS, channel, req);
  const marker = { dir: '/home/ann', name: `.mosixview-share-${'a'.repeat(32)}`, token: 'b'.repeat(64) };

  it('job.precheck takes what job.start takes; node.workdir a node', () => {
    const req = { nodeId: 1, argv: ['/bin/sleep', '9'], cwd: '/home/ann', mode: { kind: 'plain' } };
    expect(api('job.precheck', req)).toEqual(req);
    expect(refusal(() => api('job.precheck', { ...req, cwd: 'work' }))).toMatch(/^cwd: expected an absolute path/);
    expect(agent('jobs.precheck', { argv: ['x'], cwd: '/', mode: { kind: 'nomig' } })).toEqual({ argv: ['x'], cwd: '/', mode: { kind: 'nomig' } });
    expect(refusal(() => api('node.workdir', { nodeId: 0 }))).toMatch(/^nodeId: expected a node number/);
    expect(agent('jobs.workdir', null)).toBeNull();
  });

  it('share.look: a marker is a name of its own (never a path) and a token; absolute files; bounded lists', () => {
    expect(peer('share.look', { markers: [marker], files: ['/usr/lib/x.so'] })).toEqual({ markers: [marker], files: ['/usr/lib/x.so'] });
    expect(refusal(() => peer('share.look', { markers: [{ ...marker, name: '../../etc/passwd' }], files: [] }))).toBe(
      'markers[0].name: expected ".mosixview-share-" and 32 hex digits, got "../../etc/passwd"',
    );
    expect(refusal(() => peer('share.look', { markers: [{ ...marker, token: 'short' }], files: [] }))).toMatch(/^markers\[0\]\.token: expected "" and 64 hex digits/);
    expect(refusal(() => peer('share.look', { markers: [], files: ['lib.so'] }))).toMatch(/^files\[0\]: expected an absolute path/);
    expect(refusal(() => peer('share.look', { markers: [], files: Array(MAX_SHARE_FILES + 1).fill('/x') }))).toMatch(/^files: /);
  });
});
