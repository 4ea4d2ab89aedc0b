/**
 * OpenSSH known_hosts: lookup with the same verdicts as ssh(1), and appending
 * new keys. The lookup is pure (file contents in, verdict out) so that it can
 * be unit-tested without touching ~/.ssh.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchPattern } from './hostPattern.js';

export interface KnownHostsSource {
  /** Path (or any label) reported back in 'changed'/'revoked' verdicts. */
  name: string;
  text: string;
}

export type HostKeyStatus =
  | { status: 'known' }
  | { status: 'unknown' }
  | { status: 'changed'; file: string; line: number; knownType: string }
  | { status: 'revoked'; file: string; line: number };

interface Entry {
  file: string;
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  hosts: string;
  keyType: string;
  key: Buffer;
}

/** The name ssh(1) looks up: bare host on port 22, "[host]:port" otherwise. */
export function hostKeyName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** "SHA256:..." exactly as `ssh-keygen -lf` prints it (base64 without padding). */
export function fingerprintSha256(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside an SSH public key blob (first length-prefixed string). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new Error('host key blob too short');
  const len = keyBlob.readUInt32BE(0);
  if (len > 64 || keyBlob.length < 4 + len) throw new Error('malformed host key blob');
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

function parseLines(src: KnownHostsSource): Entry[] {
  const out: Entry[] = [];
  src.text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(/[ \t]+/);
    let marker: Entry['marker'] = null;
    if (f[0]?.startsWith('@')) {
      // @cert-authority lines name CAs whose host certificates are trusted (certAuthorities), not host keys.
      if (f[0] !== '@revoked' && f[0] !== '@cert-authority') return;
      marker = f[0] === '@revoked' ? 'revoked' : 'cert-authority';
      f.shift();
    }
    const [hosts, keyType, b64] = f;
    if (!hosts || !keyType || !b64) return;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) return;
    out.push({ file: src.name, line: i + 1, marker, hosts, keyType, key });
  });
  return out;
}

function hashedMatches(field: string, name: string): boolean {
  // |1|salt|hash: HMAC-SHA1 keyed with the salt over the host name.
  const parts = field.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2] ?? '', 'base64');
  const want = Buffer.from(parts[3] ?? '', 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** OpenSSH pattern-list semantics: any negated match vetoes the line. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatches(field, name);
  let hit = false;
  for (const pat of field.split(',')) {
    if (pat === '') continue;
    const neg = pat.startsWith('!');
    if (matchPattern(neg ? pat.slice(1) : pat, name)) {
      if (neg) return false;
      hit = true;
    }
  }
  return hit;
}

function entriesFor(files: KnownHostsSource[], host: string, port: number): Entry[] {
  const name = hostKeyName(host, port);
  return files.flatMap(parseLines).filter((e) => hostFieldMatches(e.hosts, name));
}

/**
 * Verdict for a host key, with ssh(1)'s precedence: a revoked key is refused
 * even if also listed as good; an exact match is known; otherwise an entry with
 * the same key type but another key means the key changed.
 */
export function checkHostKey(
  files: KnownHostsSource[],
  host: string,
  port: number,
  keyType: string,
  keyBlob: Buffer,
): HostKeyStatus {
  const entries = entriesFor(files, host, port);
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
  if (revoked) return { status: 'revoked', file: revoked.file, line: revoked.line };
  const good = entries.filter((e) => e.marker === null);
  if (good.some((e) => e.keyType === keyType && e.key.equals(keyBlob))) return { status: 'known' };
  const other = good.find((e) => e.keyType === keyType);
  if (other) return { status: 'changed', file: other.file, line: other.line, knownType: other.keyType };
  return { status: 'unknown' };
}

/** Key types already recorded for a host, so the handshake can ask for one of those first (as ssh(1) does). */
export function knownKeyTypes(files: KnownHostsSource[], host: string, port: number): string[] {
  const types: string[] = [];
  for (const e of entriesFor(files, host, port)) {
    if (e.marker === null && !types.includes(e.keyType)) types.push(e.keyType);
  }
  return types;
}

/** The CA keys trusted for a host (its @cert-authority lines) and every key revoked for it (@revoked). */
export function certAuthorities(files: KnownHostsSource[], host: string, port: number): { trustedCAs: Buffer[]; revokedKeys: Buffer[] } {
  const entries = entriesFor(files, host, port);
  return {
    trustedCAs: entries.filter((e) => e.marker === 'cert-authority').map((e) => e.key),
    revokedKeys: entries.filter((e) => e.marker === 'revoked').map((e) => e.key),
  };
}

/** Reads the given files; missing or unreadable ones count as empty, like ssh(1). */
export function readKnownHostsFiles(paths: string[]): KnownHostsSource[] {
  const out: KnownHostsSource[] = [];
  for (const p of paths) {
    try {
      out.push({ name: p, text: readFileSync(p, 'utf8') });
    } catch {
      /* absent file: nothing known from it */
    }
  }
  return out;
}

/**
 * Appends one plain (unhashed) entry. Existing lines are never rewritten: the
 * file may be shared with ssh(1) and edited by the admin at the same time.
 */
export function appendKnownHost(file: string, host: string, port: number, keyType: string, keyBlob: Buffer): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fd = openSync(file, 'a+', 0o600);
  try {
    let prefix = '';
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    writeSync(fd, `${prefix}${hostKeyName(host, port)} ${keyType} ${keyBlob.toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
}
