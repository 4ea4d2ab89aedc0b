/**
 * The packaged agent's start (mosixview-agent.service runs `daemon --map /etc/mosixview/hpc.map`):
 * the map file is applied as openMosix's init script ran `setpe -w -f /etc/hpc.map` at boot,
 * unless the admin left the cluster (setpe -off); a file that names no nodes (the package's
 * own), is missing or is wrong changes nothing and says why. Nothing here stops the agent.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMapFileAtStart, parseDaemonArgs } from './mapFileAtStart.js';
import { clearMembership, loadMembership, readMapFile, readMapOrigin, saveMembership } from './membership.js';
import { PeerService } from './peerService.js';

const HOST = hostname();
const MAP = `# the cluster\n1 ${HOST} 1\n2 othernode 1\n`;
let dir: string;
let state: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mv-mapfile-'));
  state = join(dir, 'state');
  file = join(dir, 'hpc.map');
  mkdirSync(state);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('applyMapFileAtStart', () => {
  it('joins the cluster the file describes: the map, this node found by its name, the origin recorded as the file', () => {
    writeFileSync(file, MAP);
    const r = applyMapFileAtStart(state, file, HOST);
    expect(r.level).toBe('info');
    expect(r.message).toBe(`applied ${file}: node 1 of 2`);
    expect(loadMembership(state, HOST)).toEqual({ selfId: 1, nodes: [expect.objectContaining({ id: 1, host: HOST }), expect.objectContaining({ id: 2, host: 'othernode' })] });
    expect(readMapOrigin(state)).toBe('file');
    expect(readMapFile(state)).toBe(file);
  });

  it('a GUI that connects later sees that map, from that file (cluster.info)', async () => {
    writeFileSync(file, MAP);
    applyMapFileAtStart(state, file, HOST);
    const peers = new PeerService(state, 'test');
    await peers.start();
    const info = peers.info();
    peers.stop();
    expect(info).toMatchObject({ nodeId: 1, mapBy: 'file', mapFile: file, map: [{ id: 1 }, { id: 2 }] });
  });

  it("the package's own file (comments only) changes nothing and says what to write", () => {
    writeFileSync(file, readFileSync(new URL('../../build/package-node/hpc.map', import.meta.url), 'utf8'));
    saveMembership(state, MAP, undefined, HOST, 'gui');
    const r = applyMapFileAtStart(state, file, HOST);
    expect(r).toEqual({ level: 'info', message: `${file} names no nodes yet: the map installed here stays (2 nodes, by the GUI); write the cluster's nodes there ("ID host range-size" lines) and restart the agent` });
    expect(readMapOrigin(state)).toBe('gui');
  });

  it('a missing file changes nothing, with a warning naming it', () => {
    expect(applyMapFileAtStart(state, file, HOST)).toEqual({ level: 'warn', message: `${file} is missing: the map installed here stays (none)` });
    expect(loadMembership(state, HOST)).toBeUndefined();
  });

  it('a wrong file is not applied: the error names the file, the line and what to fix; the map installed stays', () => {
    saveMembership(state, MAP, undefined, HOST, 'setpe');
    writeFileSync(file, `1 ${HOST} 1\n2 othernode two\n`);
    const r = applyMapFileAtStart(state, file, HOST);
    expect(r.level).toBe('error');
    expect(r.message).toBe(`${file}:2: range-size "two" must be a whole number >= 1 or ALIAS: not applied (the map installed here stays: 2 nodes, by setpe -w); fix the file and restart the agent`);
    expect(readMapOrigin(state)).toBe('setpe');
  });

  it('a file without this node is not applied, and says which node this is', () => {
    writeFileSync(file, '1 elsewhere 1\n');
    const r = applyMapFileAtStart(state, file, HOST);
    expect(r.level).toBe('error');
    expect(r.message).toMatch(new RegExp(`^${file}: this node \\(${HOST}: .*\\) is not in the map: add it, or give its node ID: not applied \\(the map installed here stays: none\\); fix the file and restart the agent$`));
    expect(loadMembership(state, HOST)).toBeUndefined();
  });

  it('after setpe -off the node stays out: the file is not applied, and the message says how to rejoin', () => {
    writeFileSync(file, MAP);
    clearMembership(state, new Date('2026-11-29T10:00:00.000Z'));
    expect(applyMapFileAtStart(state, file, HOST)).toEqual({
      level: 'info',
      message: `this node left the cluster (setpe -off, 2026-11-29T10:00:00.000Z): ${file} is not applied; setpe -w -f ${file} joins again`,
    });
    expect(loadMembership(state, HOST)).toBeUndefined();
  });

  it('replaces a map installed later by the GUI or setpe -w: the file is the node\'s own configuration', () => {
    saveMembership(state, `1 ${HOST} 1\n`, undefined, HOST, 'gui');
    writeFileSync(file, MAP);
    expect(applyMapFileAtStart(state, file, HOST)).toEqual({ level: 'info', message: `applied ${file}: node 1 of 2 (it replaces the map installed by the GUI, 1 node)` });
    expect(readMapOrigin(state)).toBe('file');
  });

  it('the same map as the one installed is left as it is (nothing rewritten)', () => {
    saveMembership(state, MAP, undefined, HOST, 'gui');
    writeFileSync(file, MAP);
    expect(applyMapFileAtStart(state, file, HOST)).toEqual({ level: 'info', message: `${file}: the same map is installed already (node 1 of 2)` });
    expect(readMapOrigin(state)).toBe('gui');
  });
});

describe('parseDaemonArgs', () => {
  it('takes --map FILE, and nothing else', () => {
    expect(parseDaemonArgs([])).toEqual({});
    expect(parseDaemonArgs(['--map', '/etc/mosixview/hpc.map'])).toEqual({ mapFile: '/etc/mosixview/hpc.map' });
    expect(() => parseDaemonArgs(['--map'])).toThrow('--map needs the map file, e.g. --map /etc/mosixview/hpc.map');
    expect(() => parseDaemonArgs(['--map', 'hpc.map'])).toThrow('--map needs an absolute path (the service runs in /), not "hpc.map"');
    expect(() => parseDaemonArgs(['--colour'])).toThrow('unknown option "--colour" (usage: daemon [--map FILE] [--ready-fd N])');
  });

  it('takes --ready-fd N: the descriptor the GUI\'s start script waits on (a file descriptor number, above stderr)', () => {
    expect(parseDaemonArgs(['--ready-fd', '3'])).toEqual({ readyFd: 3 });
    expect(parseDaemonArgs(['--map', '/etc/mosixview/hpc.map', '--ready-fd', '9'])).toEqual({ mapFile: '/etc/mosixview/hpc.map', readyFd: 9 });
    expect(() => parseDaemonArgs(['--ready-fd'])).toThrow('--ready-fd needs a file descriptor number above 2, e.g. --ready-fd 3');
    expect(() => parseDaemonArgs(['--ready-fd', '1'])).toThrow('--ready-fd needs a file descriptor number above 2, e.g. --ready-fd 3');
    expect(() => parseDaemonArgs(['--ready-fd', 'x'])).toThrow('--ready-fd needs a file descriptor number above 2, e.g. --ready-fd 3');
  });
});
