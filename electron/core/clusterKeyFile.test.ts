import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterKeyStore } from './clusterKeyFile.js';
import { keyId } from '../../shared/clusterKey.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function store() {
  const dir = mkdtempSync(join(tmpdir(), 'mv-key-'));
  dirs.push(dir);
  return new ClusterKeyStore(join(dir, 'sub', 'lab.cluster-key'));
}
const mode = (f: string) => statSync(f).mode & 0o777;

describe('ClusterKeyStore', () => {
  it('has no key until one is created (0600); a second create returns the same key', () => {
    const s = store();
    expect(s.read()).toBeUndefined();
    const k = s.create();
    expect(mode(s.file)).toBe(0o600);
    expect(s.read()!.equals(k)).toBe(true);
    expect(s.create().equals(k)).toBe(true);
  });

  it('a damaged key file is an error naming it', () => {
    const s = store();
    s.create();
    writeFileSync(s.file, 'not a key\n');
    expect(() => s.read()).toThrow(`${s.file} does not hold a cluster key (64 hex digits): fix or delete it`);
  });

  it('replace writes the adopted key (0600) and keeps the old one next to it (0600)', () => {
    const s = store();
    const old = s.create();
    const adopted = randomBytes(32);
    const kept = s.replace(adopted);
    expect(kept).toBe(`${s.file}.old-${keyId(old)}`);
    expect(readFileSync(kept!, 'utf8').trim()).toBe(old.toString('hex'));
    expect(mode(kept!)).toBe(0o600);
    expect(s.read()!.equals(adopted)).toBe(true);
    expect(mode(s.file)).toBe(0o600);
    expect(s.replace(adopted)).toBeUndefined();
  });

  it('replace into a profile without a key file just writes it', () => {
    const s = store();
    const k = randomBytes(32);
    expect(s.replace(k)).toBeUndefined();
    expect(s.read()!.equals(k)).toBe(true);
    expect(mode(s.file)).toBe(0o600);
  });
});
