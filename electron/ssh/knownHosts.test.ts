import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendKnownHost,
  certAuthorities,
  checkHostKey,
  fingerprintSha256,
  hostFieldMatches,
  keyTypeOfBlob,
  knownKeyTypes,
  readKnownHostsFiles,
} from './knownHosts.js';

interface Key {
  type: string;
  blob: Buffer;
  b64: string;
  pubFile: string;
}

let dir: string;
const keys: Record<string, Key> = {};

function genKey(name: string, type: string): Key {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const [kt, b64] = readFileSync(`${file}.pub`, 'utf8').trim().split(' ');
  return { type: kt!, b64: b64!, blob: Buffer.from(b64!, 'base64'), pubFile: `${file}.pub` };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mv-kh-'));
  keys.a = genKey('a', 'ed25519');
  keys.b = genKey('b', 'ed25519');
  keys.e = genKey('e', 'ecdsa');
  keys.r = genKey('r', 'rsa');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const src = (text: string, name = 'kh') => [{ name, text }];

describe('fingerprints', () => {
  it('match ssh-keygen -lf for every key type', () => {
    for (const k of Object.values(keys)) {
      const out = execFileSync('ssh-keygen', ['-E', 'sha256', '-lf', k.pubFile], { encoding: 'utf8' });
      expect(out.split(' ')[1]).toBe(fingerprintSha256(k.blob));
      expect(keyTypeOfBlob(k.blob)).toBe(k.type);
    }
  });
});

describe('checkHostKey', () => {
  it('finds plain entries in host lists, case-insensitively', () => {
    const { a } = keys;
    const text = `# comment\n\n  other,Node3.example,10.0.0.3 ${a!.type} ${a!.b64} root@x\n`;
    expect(checkHostKey(src(text), 'node3.example', 22, a!.type, a!.blob)).toEqual({ status: 'known' });
    expect(checkHostKey(src(text), '10.0.0.3', 22, a!.type, a!.blob)).toEqual({ status: 'known' });
    expect(checkHostKey(src(text), '10.0.0.4', 22, a!.type, a!.blob)).toEqual({ status: 'unknown' });
  });

  it('needs [host]:port for ports other than 22', () => {
    const { a } = keys;
    const text = `10.0.0.3 ${a!.type} ${a!.b64}\n[10.0.0.3]:2222 ${keys.e!.type} ${keys.e!.b64}\n`;
    expect(checkHostKey(src(text), '10.0.0.3', 2222, a!.type, a!.blob)).toEqual({ status: 'unknown' });
    expect(checkHostKey(src(text), '10.0.0.3', 2222, keys.e!.type, keys.e!.blob)).toEqual({ status: 'known' });
  });

  it('reports a changed key of the same type with file and line', () => {
    const { a, b, e } = keys;
    const text = `10.0.0.3 ${e!.type} ${e!.b64}\n\n10.0.0.3 ${a!.type} ${a!.b64}\n`;
    expect(checkHostKey(src(text, '/k'), '10.0.0.3', 22, b!.type, b!.blob)).toEqual({
      status: 'changed',
      file: '/k',
      line: 3,
      knownType: a!.type,
    });
    // Known only under other key types: a new key type is simply unknown.
    expect(checkHostKey(src(`10.0.0.3 ${e!.type} ${e!.b64}\n`), '10.0.0.3', 22, b!.type, b!.blob)).toEqual({
      status: 'unknown',
    });
  });

  it('accepts a key listed twice even if another line has an older key', () => {
    const { a, b } = keys;
    const text = `10.0.0.3 ${a!.type} ${a!.b64}\n10.0.0.3 ${b!.type} ${b!.b64}\n`;
    expect(checkHostKey(src(text), '10.0.0.3', 22, b!.type, b!.blob)).toEqual({ status: 'known' });
  });

  it('wildcards and negation', () => {
    const { a } = keys;
    const text = `10.0.0.*,!10.0.0.9 ${a!.type} ${a!.b64}\nnode? ${a!.type} ${a!.b64}\n`;
    expect(checkHostKey(src(text), '10.0.0.7', 22, a!.type, a!.blob).status).toBe('known');
    expect(checkHostKey(src(text), '10.0.0.9', 22, a!.type, a!.blob).status).toBe('unknown');
    expect(checkHostKey(src(text), 'node5', 22, a!.type, a!.blob).status).toBe('known');
    expect(checkHostKey(src(text), 'node55', 22, a!.type, a!.blob).status).toBe('unknown');
    expect(hostFieldMatches('!*', 'x')).toBe(false);
    expect(hostFieldMatches('[10.0.0.*]:2222', '[10.0.0.1]:2222')).toBe(true);
  });

  it('matches pathological wildcard runs without backtracking (a regex took minutes on these)', () => {
    const many = '*a'.repeat(12) + '*b';
    const long = 'a'.repeat(300);
    expect(hostFieldMatches(many, long)).toBe(false);
    expect(hostFieldMatches(many, long + 'b')).toBe(true);
    expect(hostFieldMatches(many, 'a'.repeat(11) + 'b')).toBe(false);
    expect(hostFieldMatches('*a?'.repeat(10) + '*b', long + 'x')).toBe(false);
    expect(hostFieldMatches(`!${many},*`, long)).toBe(true);
    expect(hostFieldMatches(`!${many},*`, long + 'b')).toBe(false);
    const { a } = keys;
    const text = `${many},${'*?'.repeat(40)}c ${a!.type} ${a!.b64}\n`;
    expect(checkHostKey(src(text), long, 22, a!.type, a!.blob).status).toBe('unknown');
    expect(checkHostKey(src(text), long + 'c', 22, a!.type, a!.blob).status).toBe('known');
  });

  it('@revoked always refuses; an @cert-authority key is no host key', () => {
    const { a, b } = keys;
    const text = `@cert-authority * ${b!.type} ${b!.b64}\n10.0.0.3 ${a!.type} ${a!.b64}\n@revoked * ${a!.type} ${a!.b64}\n`;
    expect(checkHostKey(src(text, 'f'), '10.0.0.3', 22, a!.type, a!.blob)).toEqual({
      status: 'revoked',
      file: 'f',
      line: 3,
    });
    expect(checkHostKey(src(text), '10.0.0.3', 22, b!.type, b!.blob).status).toBe('changed');
    expect(checkHostKey(src(text), '10.0.0.4', 22, b!.type, b!.blob).status).toBe('unknown');
    expect(knownKeyTypes(src(`@cert-authority * ${b!.type} ${b!.b64}\n`), '10.0.0.4', 22)).toEqual([]);
  });

  it('@cert-authority lines name the CAs trusted for the hosts their patterns match; @revoked keys come along', () => {
    const { a, b } = keys;
    const text = `@cert-authority *.lab,!gw.lab ${b!.type} ${b!.b64}\n@cert-authority [*.lab]:2222 ${a!.type} ${a!.b64}\n@revoked * ${a!.type} ${a!.b64}\n`;
    const lab = certAuthorities(src(text), 'node1.lab', 22);
    expect(lab.trustedCAs.map((k) => k.equals(b!.blob))).toEqual([true]);
    expect(lab.revokedKeys.map((k) => k.equals(a!.blob))).toEqual([true]);
    expect(certAuthorities(src(text), 'gw.lab', 22).trustedCAs).toEqual([]);
    expect(certAuthorities(src(text), 'node1.lab', 2222).trustedCAs.map((k) => k.equals(a!.blob))).toEqual([true]);
    expect(certAuthorities(src(text), 'node1.other', 22).trustedCAs).toEqual([]);
  });

  it('reads several files, reporting the right one', () => {
    const { a, b } = keys;
    const files = [
      { name: 'user', text: '' },
      { name: 'global', text: `h ${a!.type} ${a!.b64}\n` },
    ];
    expect(checkHostKey(files, 'h', 22, b!.type, b!.blob)).toMatchObject({ status: 'changed', file: 'global', line: 1 });
    expect(knownKeyTypes(files, 'h', 22)).toEqual([a!.type]);
  });

  it('understands entries hashed by ssh-keygen -H', () => {
    const { a, r } = keys;
    const file = join(dir, 'hashed');
    writeFileSync(file, `node1,10.0.0.1 ${a!.type} ${a!.b64}\n[10.0.0.2]:2200 ${r!.type} ${r!.b64}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('10.0.0');
    expect(text.split('\n').filter((l) => l.startsWith('|1|'))).toHaveLength(3);
    const files = readKnownHostsFiles([file, join(dir, 'missing')]);
    expect(checkHostKey(files, 'node1', 22, a!.type, a!.blob).status).toBe('known');
    expect(checkHostKey(files, 'NODE1', 22, a!.type, a!.blob).status).toBe('known');
    expect(checkHostKey(files, '10.0.0.1', 22, a!.type, a!.blob).status).toBe('known');
    expect(checkHostKey(files, '10.0.0.2', 2200, r!.type, r!.blob).status).toBe('known');
    expect(checkHostKey(files, '10.0.0.2', 22, r!.type, r!.blob).status).toBe('unknown');
    expect(checkHostKey(files, 'node1', 22, a!.type, keys.b!.blob)).toMatchObject({ status: 'changed', line: 1 });
  });
});

describe('appendKnownHost', () => {
  it('creates the directory 0700 and the file 0600, then only appends', () => {
    const file = join(dir, 'new', '.ssh', 'known_hosts');
    const { a, e } = keys;
    appendKnownHost(file, 'Node1', 22, a!.type, a!.blob);
    expect(statSync(join(dir, 'new', '.ssh')).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, readFileSync(file, 'utf8') + '# no newline at end', { flag: 'w' });
    appendKnownHost(file, '10.0.0.2', 2222, e!.type, e!.blob);
    expect(readFileSync(file, 'utf8')).toBe(
      `node1 ${a!.type} ${a!.b64}\n# no newline at end\n[10.0.0.2]:2222 ${e!.type} ${e!.b64}\n`,
    );
    // ssh-keygen itself finds the entry we wrote.
    const found = execFileSync('ssh-keygen', ['-F', '[10.0.0.2]:2222', '-f', file], { encoding: 'utf8' });
    expect(found).toContain(e!.b64);
    const files = readKnownHostsFiles([file]);
    expect(checkHostKey(files, '10.0.0.2', 2222, e!.type, e!.blob).status).toBe('known');
  });
});
