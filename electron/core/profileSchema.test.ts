/**
 * Profiles with each kind of mistake, as files on disk: every one is a ProfileError naming
 * the file, the key path and what the value must be (never a TypeError from deep inside).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfileFile, ProfileError } from './profile.js';
import { errorOf } from './errorOf.test-util.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mosixview-schema-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAP = '1 10.0.0.1 1\n3 10.0.0.3 1\n';
let n = 0;
function refusal(body: unknown): { file: string; message: string } {
  const file = join(dir, `bad${++n}.json`);
  writeFileSync(file, JSON.stringify(body, null, 2));
  const e = errorOf(() => loadProfileFile(file));
  expect(e).toBeInstanceOf(ProfileError);
  return { file, message: e.message };
}

describe('a profile file with a mistake', () => {
  it.each([
    ['a top-level key of the wrong type', { mapText: 5 }, '"mapText" must be a string, got 5'],
    ['a name that is a list', { mapText: MAP, name: ['lab'] }, '"name" must be a string, got ["lab"]'],
    ['an ssh block that is a list', { mapText: MAP, ssh: ['root'] }, '"ssh" must be an object of SSH settings, like {"user": "admin", "port": 22}, got ["root"]'],
    ['a port as text', { mapText: MAP, ssh: { port: '22' } }, '"ssh"."port" must be a TCP port number (1-65535), got "22"'],
    ['a port out of range', { mapText: MAP, ssh: { port: 70000 } }, '"ssh"."port" must be a TCP port number (1-65535), got 70000'],
    ['a fractional port', { mapText: MAP, ssh: { port: 22.5 } }, '"ssh"."port" must be a TCP port number (1-65535), got 22.5'],
    ['useAgent as text', { mapText: MAP, ssh: { useAgent: 'false' } }, '"ssh"."useAgent" must be true or false, got "false"'],
    ['an identity list holding a number', { mapText: MAP, ssh: { identityFile: ['a', 1] } }, '"ssh"."identityFile" must be a file name or a list of file names, got ["a",1]'],
    ['a per-node setting of the wrong type', { mapText: MAP, nodes: { '3': { user: 0 } } }, '"nodes"."3"."user" must be a string, got 0'],
    ['a per-node entry that is not an object', { mapText: MAP, nodes: { '3': 'root' } }, '"nodes"."3" must be an object of SSH settings'],
    ['nodes as a list', { mapText: MAP, nodes: [{ user: 'x' }] }, '"nodes" must be an object of settings by node ID, like {"3": {"port": 2222}}, got [{"user":"x"}]'],
    ['a file that is a list', [{ mapText: MAP }], 'the file must be a JSON object, like {"map": "/etc/hpc.map"}, got [{"mapText":'],
    ['a file that is a number', 42, 'the file must be a JSON object, like {"map": "/etc/hpc.map"}, got 42'],
  ])('%s: names the file, the key path, what it must be and what it is', (_what, body, expected) => {
    const { file, message } = refusal(body);
    expect(message).toContain(`${file}: ${expected}`);
  });

  it.each([
    ['at the top', { mapText: MAP, clusterkey: 'k' }, 'unknown key "clusterkey": did you mean "clusterKeyFile"?'],
    ['in "ssh"', { mapText: MAP, ssh: { identity: 'k' } }, '"ssh": unknown setting "identity": did you mean "identityFile"?'],
    ['in one node\'s settings', { mapText: MAP, nodes: { '3': { prot: 22 } } }, '"nodes"."3": unknown setting "prot": did you mean "port"?'],
  ])('an unknown key %s is named with where it stands and what it may have meant', (_where, body, expected) => {
    const { file, message } = refusal(body);
    expect(message).toContain(`${file}: ${expected}`);
  });

  it('names every mistake in the file at once, one line each', () => {
    const { file, message } = refusal({ mapText: MAP, colour: 'blue', ssh: { port: 'x', user: 1 }, nodes: { '1': { useAgent: 1 } } });
    const lines = message.split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.startsWith(`${file}: `)).toBe(true);
    expect(message).toContain('"ssh"."port" must be a TCP port number');
    expect(message).toContain('"ssh"."user" must be a string, got 1');
    expect(message).toContain('"nodes"."1"."useAgent" must be true or false, got 1');
    expect(message).toContain('unknown key "colour": remove it');
  });
});
