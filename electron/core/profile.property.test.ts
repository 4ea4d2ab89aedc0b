/**
 * Property tests of cluster profiles: any JSON (or any text in a profile file) gives a
 * cluster or a ProfileError / MapError that names the file and the key that is wrong.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MapError } from '../../shared/hpcMap.js';
import { clusterFromProfile, loadProfileFile, ProfileError, type ClusterConfig } from './profile.js';
import { errorOf } from './errorOf.test-util.js';

const FILE = '/clusters/lab.json';
const MAP = '1 10.0.0.1 2\n3 node3.lab 1\n';
const SSH_KEYS = ['user', 'port', 'identityFile', 'knownHostsFile', 'sshConfigFile', 'useAgent', 'proxyJump', 'nodePath', 'agentDir'];
const TOP_KEYS = ['name', 'map', 'mapText', 'ssh', 'nodes', 'clusterKeyFile'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mosixview-profile-prop-'));
  writeFileSync(join(dir, 'lab.map'), MAP);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A cluster, or the only errors a profile may give, whose message names the file. */
function loadOrError(load: () => ClusterConfig, file: string): ClusterConfig | Error {
  try {
    return load();
  } catch (e) {
    expect(e instanceof ProfileError || e instanceof MapError, `not a ProfileError or MapError: ${String(e)}`).toBe(true);
    expect((e as Error).message).toContain(file);
    return e as Error;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Values of every JSON type, strings included, and objects shaped a little like settings. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.dictionary(fc.constantFrom(...SSH_KEYS, '1', '3', 'x'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Per setting, the JSON values it takes (the rest must be refused by name). */
const SSH_ACCEPTS: Record<string, (v: unknown) => boolean> = {
  port: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535,
  useAgent: (v) => typeof v === 'boolean',
  identityFile: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((f) => typeof f === 'string')),
};
const sshAccepts = (key: string, v: unknown) => (SSH_ACCEPTS[key] ?? ((x: unknown) => typeof x === 'string'))(v);

const TOP_ACCEPTS: Record<string, (v: unknown) => boolean> = {
  name: (v) => typeof v === 'string',
  map: (v) => typeof v === 'string',
  mapText: (v) => typeof v === 'string',
  ssh: (v) => isPlainObject(v) && Object.entries(v).every(([k, x]) => SSH_KEYS.includes(k) && sshAccepts(k, x)),
  nodes: (v) => isPlainObject(v) && Object.entries(v).every(([k, x]) => ['1', '2', '3'].includes(k) && (x === undefined || TOP_ACCEPTS.ssh!(x))),
  clusterKeyFile: (v) => typeof v === 'string',
};

describe('clusterFromProfile (properties)', () => {
  it('gives a cluster or a ProfileError / MapError naming the file, for any JSON', () => {
    const profileLike = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          name: anyValue,
          mapText: fc.oneof(fc.constant(MAP), anyValue),
          ssh: anyValue,
          nodes: fc.oneof(fc.dictionary(fc.constantFrom('1', '2', '3', '4', '01', 'x'), anyValue, { maxKeys: 2 }), anyValue),
          clusterKeyFile: anyValue,
          typo: anyValue,
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(profileLike, (p) => {
        const r = loadOrError(() => clusterFromProfile(p as never, dir, FILE), FILE);
        if (r instanceof Error) return;
        expect(typeof r.name).toBe('string');
        expect(typeof r.clusterKeyFile).toBe('string');
        expect(r.nodes.map((n) => n.id)).toEqual([1, 2, 3]);
      }),
      { numRuns: 600 },
    );
  });

  it('refuses a profile key of the wrong type, naming the key', () => {
    const spoilt = fc
      .tuple(fc.constantFrom(...TOP_KEYS), fc.oneof(anyValue, fc.constant(null)))
      .filter(([key, v]) => !TOP_ACCEPTS[key]!(v) && !(key === 'name' && v === null) && !(key === 'nodes' && v === null));
    fc.assert(
      fc.property(spoilt, ([key, value]) => {
        // "map" is only read without "mapText".
        const base: Record<string, unknown> = key === 'map' ? { name: 'lab' } : { name: 'lab', mapText: MAP };
        const e = errorOf(() => clusterFromProfile({ ...base, [key]: value } as never, dir, FILE));
        expect(e).toBeInstanceOf(e instanceof MapError ? MapError : ProfileError);
        expect(e.message).toContain(FILE);
        expect(e.message).toContain(key);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses an SSH setting of the wrong type, or an unknown one, naming it and where it stands', () => {
    const spoilt = fc
      .tuple(fc.oneof(fc.constantFrom(...SSH_KEYS), fc.string({ minLength: 1, maxLength: 8 })), anyValue, fc.boolean())
      .filter(([key, v]) => !SSH_KEYS.includes(key) || !sshAccepts(key, v));
    fc.assert(
      fc.property(spoilt, ([key, value, perNode]) => {
        const settings = { [key]: value };
        const p = perNode ? { mapText: MAP, nodes: { '3': settings } } : { mapText: MAP, ssh: settings };
        const e = errorOf(() => clusterFromProfile(p as never, dir, FILE));
        expect(e).toBeInstanceOf(ProfileError);
        expect(e.message).toContain(FILE);
        expect(e.message).toContain(perNode ? '"nodes"."3"' : '"ssh"');
        expect(e.message).toContain(key);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses an unknown top-level key by name (a typo must not fall back to a default)', () => {
    const unknown = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !TOP_KEYS.includes(k));
    fc.assert(
      fc.property(unknown, anyValue, (key, value) => {
        const e = errorOf(() => clusterFromProfile({ mapText: MAP, [key]: value } as never, dir, FILE));
        expect(e).toBeInstanceOf(ProfileError);
        expect(e.message).toContain(FILE);
        expect(e.message).toContain(`"${key}"`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('loadProfileFile (properties)', () => {
  it('gives a cluster or an error naming the file, for any file content', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('{"map": "lab.map"}', '{"map": "lab.map", "nodes": {"2": {"port": 1}}}', '{ "map": ', '\ufeff{}', ''),
    );
    const path = () => join(dir, 'p.json');
    fc.assert(
      fc.property(text, (t) => {
        writeFileSync(path(), t);
        loadOrError(() => loadProfileFile(path()), path());
      }),
      { numRuns: 300 },
    );
  });
});

describe('regressions found by the properties', () => {
  it.each([
    [{ name: 0, mapText: MAP }, 'name'],
    [{ map: null }, 'map'],
    [{ map: 0 }, 'map'],
    [{ mapText: null }, 'mapText'],
    [{ mapText: 0 }, 'mapText'],
    [{ mapText: MAP, nodes: '' }, 'nodes'],
    [{ mapText: MAP, nodes: 0 }, 'nodes'],
    [{ mapText: MAP, nodes: [] }, 'nodes'],
    [{ mapText: MAP, clusterKeyfile: 'lab.key' }, 'clusterKeyfile'],
  ])('%j is refused, naming "%s"', (profile, key) => {
    const e = errorOf(() => clusterFromProfile(profile as never, dir, FILE));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain(FILE);
    expect(e.message).toContain(key);
  });
});
