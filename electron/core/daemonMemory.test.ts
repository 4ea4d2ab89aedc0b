/**
 * daemons.json: where each node's daemon was last found, a hint kept across GUI starts. A
 * damaged file is said once and never makes a node fail; its content is kept as FILE.bad.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { daemonMemoryFile, daemonMemoryKey, DaemonMemoryFile, MAX_REMEMBERED } from './daemonMemory.js';
import { memoryLog } from './memoryLog.test-util.js';
import { until } from './fakeAgent.test-util.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mvdaemons-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const fresh = () => join(dir, `d${++n}`, 'daemons.json');
const daemon = { socket: '/var/lib/mosixview/agent.sock', version: '0.1.0+abc', uid: 0 };
/** A new file that already holds MAX_REMEMBERED logins, `@PREFIX0:` the oldest. */
function full(prefix: string): string {
  const file = fresh();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(Object.fromEntries(Array.from({ length: MAX_REMEMBERED }, (_, i) => [`@${prefix}${i}:`, daemon]))));
  return file;
}

describe('DaemonMemoryFile', () => {
  it('reads the file once for the nodes of a start, and again only when another GUI changed it', () => {
    const file = fresh();
    const writer = new DaemonMemoryFile(file, memoryLog().log);
    for (let i = 0; i < 64; i++) writer.remember(`@n${i}:`, daemon);
    writer.flush();
    const gui = new DaemonMemoryFile(file, memoryLog().log);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      for (let i = 0; i < 64; i++) expect(gui.recall(`@n${i}:`)).toEqual(daemon);
      expect(parse).toHaveBeenCalledTimes(1);
      // Another GUI's change (a new size) is seen.
      writer.remember('@n64:', { ...daemon, uid: 1000 });
      writer.flush();
      expect(gui.recall('@n64:')).toEqual({ ...daemon, uid: 1000 });
    } finally {
      parse.mockRestore();
    }
  });

  it('a start that remembers 64 nodes in a file of MAX_REMEMBERED logins reads it once and writes it once', () => {
    const file = full('old');
    const memory = new DaemonMemoryFile(file, memoryLog().log);
    const parse = vi.spyOn(JSON, 'parse');
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      for (let i = 0; i < 64; i++) {
        expect(memory.recall(`@n${i}:`)).toBeUndefined();
        memory.remember(`@n${i}:`, daemon);
        memory.forget(`@old${i}:`);
      }
      // What it was told is what it answers, before any write.
      expect(memory.recall('@n5:')).toEqual(daemon);
      expect(memory.recall('@old5:')).toBeUndefined();
      memory.flush();
      expect(parse).toHaveBeenCalledTimes(1);
      expect(stringify).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
      stringify.mockRestore();
    }
    const kept = Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object);
    expect(kept).toHaveLength(MAX_REMEMBERED);
    expect(kept.slice(-64)).toEqual(Array.from({ length: 64 }, (_, i) => `@n${i}:`));
    expect(kept).not.toContain('@old63:');
    expect(kept).toContain('@old64:');
  });

  it('writes what it was told by itself soon after, without a flush', async () => {
    const file = fresh();
    new DaemonMemoryFile(file, memoryLog().log).remember('@n1:', daemon);
    await until('written', () => existsSync(file));
    expect(new DaemonMemoryFile(file, memoryLog().log).recall('@n1:')).toEqual(daemon);
  });

  it('remembers across instances (a GUI restart), forgets on request', () => {
    const file = fresh();
    const first = new DaemonMemoryFile(file, memoryLog().log);
    first.remember('@n1:', daemon);
    first.flush();
    const next = new DaemonMemoryFile(file, memoryLog().log);
    expect(next.recall('@n1:')).toEqual(daemon);
    expect(next.recall('@n2:')).toBeUndefined();
    next.forget('@n1:');
    next.flush();
    expect(new DaemonMemoryFile(file, memoryLog().log).recall('@n1:')).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('answers nothing from a file it cannot trust, says so once, and keeps it as .bad when it writes', () => {
    for (const text of ['{"@n1:": {"socket": "/s", "version": "1", "uid": -1}}', '[1]', '{not json', '{"@n1:": {"socket": "/s", "version": "1", "uid": 0, "extra": 1}}']) {
      const file = fresh();
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      const { log, logged } = memoryLog();
      const memory = new DaemonMemoryFile(file, log);
      expect(memory.recall('@n1:')).toBeUndefined();
      expect(memory.recall('@n1:')).toBeUndefined();
      expect(logged.length).toBe(1);
      expect(logged[0]).toContain(file);
      memory.remember('@n1:', daemon);
      memory.flush();
      expect(readFileSync(`${file}.bad`, 'utf8')).toBe(text);
      expect(new DaemonMemoryFile(file, log).recall('@n1:')).toEqual(daemon);
    }
  });

  it('keeps the newest MAX_REMEMBERED logins: one seen again counts as new', () => {
    const file = full('n');
    const memory = new DaemonMemoryFile(file, memoryLog().log);
    memory.remember('@n0:', { ...daemon, version: '0.2.0' });
    memory.remember('@new:', daemon);
    memory.flush();
    const kept = Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object);
    expect(kept).toHaveLength(MAX_REMEMBERED);
    expect(kept.slice(-2)).toEqual(['@n0:', '@new:']);
    expect(memory.recall('@n1:')).toBeUndefined();
    expect(memory.recall('@n2:')).toEqual(daemon);
  });

  it('an unwritable place costs the memory only, never an error', () => {
    writeFileSync(join(dir, 'plainfile'), '');
    const memory = new DaemonMemoryFile(join(dir, 'plainfile', 'daemons.json'), memoryLog().log);
    expect(() => memory.remember('@n1:', daemon)).not.toThrow();
    expect(() => memory.flush()).not.toThrow();
    expect(memory.recall('@n1:')).toBeUndefined();
    expect(existsSync(join(dir, 'plainfile', 'daemons.json.bad'))).toBe(false);
  });
});

describe('daemonMemoryKey', () => {
  it('tells apart the user, the port and the jump host of a login', () => {
    const keys = [
      { host: 'n1', ssh: {} },
      { host: 'n1', ssh: { user: 'root' } },
      { host: 'n1', ssh: { port: 2222 } },
      { host: 'n1', ssh: { proxyJump: 'gw' } },
      { host: 'n2', ssh: {} },
    ].map(daemonMemoryKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lives in the GUI state directory (XDG_STATE_HOME respected)', () => {
    expect(daemonMemoryFile({ XDG_STATE_HOME: '/x' }, '/home/a')).toBe('/x/mosixview/daemons.json');
    expect(daemonMemoryFile({}, '/home/a')).toBe('/home/a/.local/state/mosixview/daemons.json');
  });
});
