import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MapError } from '../../shared/hpcMap.js';
import { clusterFromProfile, EMBEDDED_CLUSTER, loadProfileFile, ProfileError } from './profile.js';
import { errorOf } from './errorOf.test-util.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mosixview-profile-'));
  mkdirSync(join(dir, 'profiles', 'maps'), { recursive: true });
  writeFileSync(join(dir, 'profiles', 'maps', 'lab.map'), '# lab\n1 10.0.0.1 2\n3 node3.lab 1\n');
  writeFileSync(join(dir, 'bad.map'), '1 10.0.0.1 1\n\n2 10.0.0.2\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeProfile(name: string, body: unknown): string {
  const p = join(dir, 'profiles', name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
}


describe('EMBEDDED_CLUSTER', () => {
  it('is this machine alone, with no mapped nodes', () => {
    expect(EMBEDDED_CLUSTER).toEqual({ name: 'this machine', source: 'embedded', nodes: [] });
  });
});

describe('loadProfileFile', () => {
  it('reads the map relative to the profile file, not the working directory', () => {
    const p = writeProfile('lab.json', { map: 'maps/lab.map', ssh: { user: 'admin', port: 2222 } });
    const c = loadProfileFile(p);
    expect(c.source).toBe('profile');
    expect(c.name).toBe('lab');
    expect(c.nodes.map((n) => [n.id, n.host])).toEqual([
      [1, '10.0.0.1'],
      [2, '10.0.0.2'],
      [3, 'node3.lab'],
    ]);
    for (const n of c.nodes) expect(n.ssh).toEqual({ user: 'admin', port: 2222 });
  });

  it('takes the name from the profile when given', () => {
    const c = loadProfileFile(writeProfile('named.json', { name: 'Physics lab', map: 'maps/lab.map' }));
    expect(c.name).toBe('Physics lab');
  });

  it('lets per-node settings override the common ones, field by field', () => {
    const p = writeProfile('over.json', {
      map: 'maps/lab.map',
      ssh: { user: 'admin', port: 22, proxyJump: 'gw' },
      nodes: { '2': { port: 2202, user: 'root' } },
    });
    const byId = new Map(loadProfileFile(p).nodes.map((n) => [n.id, n.ssh]));
    expect(byId.get(1)).toEqual({ user: 'admin', port: 22, proxyJump: 'gw' });
    expect(byId.get(2)).toEqual({ user: 'root', port: 2202, proxyJump: 'gw' });
    expect(byId.get(3)).toEqual({ user: 'admin', port: 22, proxyJump: 'gw' });
  });

  it('accepts the map inline as mapText', () => {
    const c = loadProfileFile(writeProfile('inline.json', { mapText: '7 192.168.0.7 1\n' }));
    expect(c.nodes).toEqual([{ id: 7, host: '192.168.0.7', aliases: [], line: 1, ssh: {} }]);
  });

  it('names the file when it is not valid JSON', () => {
    const p = writeProfile('broken.json', '{ "map": "maps/lab.map", }');
    const e = errorOf(() => loadProfileFile(p));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain(p);
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('a JSON syntax error names the file, line and column, and shows the offending line', () => {
    const p = writeProfile('comma.json', '{\n  "map": "maps/lab.map",\n  "ssh": { "user": "admin" },\n}\n');
    const e = errorOf(() => loadProfileFile(p));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain(`${p} is not valid JSON: line 3, column 29:`);
    expect(e.message).toMatch(/trailing comma/);
    expect(e.message).not.toMatch(/position/);
    expect(e.message).toContain('\n  3 |   "ssh": { "user": "admin" },\n');
    expect(e.message).toContain(`\n    | ${' '.repeat(28)}^`);
  });

  it.each([
    ['{\n  "map": "maps/lab.map"\n  "ssh": {}\n}', 3, 3, /expected "," or "}" after a property value \(a comma missing\?\)/],
    ["{\n  'map': 'maps/lab.map'\n}", 2, 3, /double quotes/],
    ['{\n  // the lab\n  "map": "maps/lab.map"\n}', 2, 3, /JSON has no comments/],
    ['{\n  map: "maps/lab.map"\n}', 2, 3, /"map".*double quotes/],
    ['{\n  "map": "maps/lab.map",\n  "ssh": {\n', 3, 10, /the "\{" here is never closed: the file ends first/],
    ['', 1, 1, /the file is empty/],
  ])('%j: line %i, column %i', (text, line, column, what) => {
    const p = writeProfile('syntax.json', text);
    const e = errorOf(() => loadProfileFile(p));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain(`${p} is not valid JSON: line ${line}, column ${column}:`);
    expect(e.message).toMatch(what);
  });

  it('names the file when it cannot be read', () => {
    const p = join(dir, 'profiles', 'missing.json');
    const e = errorOf(() => loadProfileFile(p));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain(p);
  });

  it('names an unknown setting key and where it is', () => {
    const e1 = errorOf(() => loadProfileFile(writeProfile('k1.json', { map: 'maps/lab.map', ssh: { usr: 'x' } })));
    expect(e1).toBeInstanceOf(ProfileError);
    expect(e1.message).toContain('"usr"');
    expect(e1.message).toContain('"ssh"');
    const e2 = errorOf(() =>
      loadProfileFile(writeProfile('k2.json', { map: 'maps/lab.map', nodes: { '3': { identity: 'k' } } })),
    );
    expect(e2.message).toContain('"identity"');
    expect(e2.message).toContain('"nodes"."3"');
  });

  it('refuses an unknown top-level key from the file, naming it, the file, and what to do', () => {
    const p = writeProfile('typo.json', { map: 'maps/lab.map', clusterkey: 'lab.key' });
    const e = errorOf(() => loadProfileFile(p));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toBe(
      `${p}: unknown key "clusterkey": did you mean "clusterKeyFile"? Correct it or remove it ` +
        '(keys are case-sensitive; a profile has name, map, mapText, ssh, nodes, clusterKeyFile)',
    );
  });

  it('an unknown top-level key with no near name is to be removed; an SSH setting at the top belongs in "ssh"', () => {
    const e1 = errorOf(() => loadProfileFile(writeProfile('extra.json', { map: 'maps/lab.map', colour: 'blue' })));
    expect(e1.message).toMatch(/unknown key "colour": remove it \(keys are case-sensitive; a profile has name, map,/);
    const e2 = errorOf(() => loadProfileFile(writeProfile('flat.json', { map: 'maps/lab.map', user: 'admin' })));
    expect(e2.message).toMatch(
      /unknown key "user": an SSH setting goes inside "ssh" \(for every node\) or "nodes"\."<ID>" \(for one\), as "ssh": \{"user": \.\.\.\}/,
    );
  });

  it('an unknown SSH setting says what it may have meant', () => {
    const e = errorOf(() => loadProfileFile(writeProfile('k3.json', { map: 'maps/lab.map', ssh: { identity: 'k' } })));
    expect(e.message).toContain('"ssh": unknown setting "identity": did you mean "identityFile"? Correct it or remove it');
  });

  it('refuses settings for a node the map does not define, naming the node', () => {
    const p = writeProfile('ghost.json', { map: 'maps/lab.map', nodes: { '9': { user: 'x' } } });
    const e = errorOf(() => loadProfileFile(p));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toMatch(/node 9\b/);
    expect(e.message).toContain(p);
  });

  it('reports a malformed map with file:line', () => {
    const p = writeProfile('badmap.json', { map: '../bad.map' });
    const e = errorOf(() => loadProfileFile(p));
    expect(e).toBeInstanceOf(MapError);
    expect(e.message).toContain(`${join(dir, 'bad.map')}:3:`);
  });

  it('reports a map file that cannot be read, with its path', () => {
    const p = writeProfile('nomap.json', { map: 'maps/none.map' });
    const e = errorOf(() => loadProfileFile(p));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain(join(dir, 'profiles', 'maps', 'none.map'));
  });

  it('requires a map', () => {
    const e = errorOf(() => loadProfileFile(writeProfile('nomapkey.json', { ssh: {} })));
    expect(e.message).toMatch(/"map"/);
  });
});

describe('clusterFromProfile: setting types', () => {
  const base = { mapText: '1 10.0.0.1 1\n' };

  it('refuses a bad port, naming the place and the value', () => {
    const e = errorOf(() => clusterFromProfile({ ...base, ssh: { port: 70000 } }, dir, 'p.json'));
    expect(e.message).toContain('p.json: "ssh".port');
    expect(e.message).toContain('70000');
    expect(() => clusterFromProfile({ ...base, ssh: { port: '22' as unknown as number } }, dir)).toThrow(ProfileError);
  });

  it('refuses a non-string user and a non-object ssh block', () => {
    expect(() => clusterFromProfile({ ...base, ssh: { user: 5 as unknown as string } }, dir)).toThrow(/user must be a string/);
    expect(() => clusterFromProfile({ ...base, ssh: [] as unknown as object }, dir)).toThrow(/must be an object/);
  });

  it('refuses a useAgent that is not true/false and an identityFile that is not text', () => {
    // "false" as a string would otherwise be truthy and silently use the agent.
    expect(() => clusterFromProfile({ ...base, ssh: { useAgent: 'false' as unknown as boolean } }, dir)).toThrow(
      /useAgent must be true or false/,
    );
    expect(() => clusterFromProfile({ ...base, ssh: { identityFile: 5 as unknown as string } }, dir)).toThrow(/identityFile/);
    expect(() => clusterFromProfile({ ...base, ssh: { identityFile: ['a', 1] as unknown as string[] } }, dir)).toThrow(
      /identityFile/,
    );
    expect(clusterFromProfile({ ...base, ssh: { identityFile: ['a', 'b'], useAgent: false } }, dir).nodes[0]!.ssh).toEqual({
      identityFile: ['a', 'b'],
      useAgent: false,
    });
  });
});
