/**
 * Host certificates made by ssh-keygen, checked as ssh(1) does: CA signature (ed25519,
 * ECDSA, RSA CAs), host certificate, principals, validity window, revoked CA or key.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHostCert, parseOpensshCert, type CertTrust } from './opensshCert.js';
import { genKey, type KeyPair } from './sshdFixture.test-util.js';

let dir: string;
let host: KeyPair;
const ca: Record<string, KeyPair> = {};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mv-cert-'));
  host = genKey(dir, 'host', 'ed25519');
  for (const t of ['ed25519', 'ecdsa', 'rsa']) ca[t] = genKey(dir, `ca_${t}`, t);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const blobOf = (pubLine: string) => Buffer.from(pubLine.split(' ')[1]!, 'base64');
/** 2030-01-15, inside the windows below. */
const JAN_2030 = Date.UTC(2030, 0, 15) / 1000;
let n = 0;

/** A certificate of the host key, signed by `signer` with ssh-keygen's own options. */
function certify(signer: KeyPair, args: string[]): Buffer {
  const id = `cert${++n}`;
  execFileSync('cp', [host.pub, join(dir, `${id}.pub`)]);
  execFileSync('ssh-keygen', ['-q', '-s', signer.priv, '-I', id, ...args, join(dir, `${id}.pub`)]);
  return blobOf(readFileSync(join(dir, `${id}-cert.pub`), 'utf8'));
}

const trust = (over: Partial<CertTrust> = {}): CertTrust => ({
  host: 'node1.lab',
  trustedCAs: [blobOf(ca.ed25519!.pubLine), blobOf(ca.ecdsa!.pubLine), blobOf(ca.rsa!.pubLine)],
  revokedKeys: [],
  nowSeconds: JAN_2030,
  ...over,
});
const WINDOW = ['-V', '20300101Z:20300201Z'];

describe('parseOpensshCert', () => {
  it('reads what ssh-keygen -L shows: type, key, principals, window, CA', () => {
    const c = parseOpensshCert(certify(ca.ed25519!, ['-h', '-n', 'node1,node1.lab', '-z', '42', ...WINDOW]));
    expect(c.certType).toBe('ssh-ed25519-cert-v01@openssh.com');
    expect(c.keyType).toBe('ssh-ed25519');
    expect(c.keyBlob.equals(blobOf(host.pubLine))).toBe(true);
    expect(c.kind).toBe('host');
    expect(c.serial).toBe(42n);
    expect(c.principals).toEqual(['node1', 'node1.lab']);
    expect(c.validAfter).toBe(BigInt(Date.UTC(2030, 0, 1) / 1000));
    expect(c.validBefore).toBe(BigInt(Date.UTC(2030, 1, 1) / 1000));
    expect(c.caKeyBlob.equals(blobOf(ca.ed25519!.pubLine))).toBe(true);
  });

  it('refuses a plain key and a truncated certificate', () => {
    expect(() => parseOpensshCert(blobOf(host.pubLine))).toThrow(/not an OpenSSH certificate/);
    const cert = certify(ca.ed25519!, ['-h', '-n', 'node1.lab']);
    expect(() => parseOpensshCert(cert.subarray(0, cert.length - 10))).toThrow(/truncated/);
  });
});

describe('checkHostCert', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'])('accepts a host certificate for the host, signed by a trusted %s CA, valid now', (t) => {
    const v = checkHostCert(certify(ca[t]!, ['-h', '-n', 'node1,node1.lab', ...WINDOW]), trust());
    expect(v).toMatchObject({ ok: true });
  });

  it('accepts a principal pattern and, as ssh(1), a certificate without principals', () => {
    expect(checkHostCert(certify(ca.ed25519!, ['-h', '-n', '*.lab', ...WINDOW]), trust()).ok).toBe(true);
    expect(checkHostCert(certify(ca.ed25519!, ['-h', ...WINDOW]), trust()).ok).toBe(true);
  });

  it.each([
    ['another host', ['-h', '-n', 'node2.lab', ...WINDOW], {}, 'is for node2.lab, not for node1.lab'],
    ['a user certificate', ['-n', 'node1.lab', ...WINDOW], {}, 'is a user certificate, not a host certificate'],
    ['not yet valid', ['-h', '-n', 'node1.lab', '-V', '20300201Z:20300301Z'], {}, 'is not valid before 2030-02-01T00:00:00.000Z'],
    ['expired', ['-h', '-n', 'node1.lab', '-V', '20291201Z:20300101Z'], {}, 'expired at 2030-01-01T00:00:00.000Z'],
    ['an untrusted CA', ['-h', '-n', 'node1.lab', ...WINDOW], { trustedCAs: [] }, 'signed by a CA known_hosts does not trust for node1.lab'],
  ])('refuses %s, saying why', (_what, args, over, reason) => {
    const v = checkHostCert(certify(ca.ed25519!, args as string[]), trust(over));
    expect(v).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('refuses a certificate whose CA or key is revoked', () => {
    const cert = certify(ca.ed25519!, ['-h', '-n', 'node1.lab', ...WINDOW]);
    expect(checkHostCert(cert, trust({ revokedKeys: [blobOf(ca.ed25519!.pubLine)] }))).toEqual({ ok: false, reason: expect.stringContaining('CA that signed certificate') });
    expect(checkHostCert(cert, trust({ revokedKeys: [blobOf(host.pubLine)] }))).toEqual({ ok: false, reason: expect.stringContaining('key of certificate') });
  });

  it('refuses a certificate changed after signing (its principals widened)', () => {
    const cert = Buffer.from(certify(ca.ed25519!, ['-h', '-n', 'node1.lax', ...WINDOW]));
    const at = cert.indexOf('node1.lax');
    cert.write('node1.lab', at);
    const v = checkHostCert(cert, trust());
    expect(v).toEqual({ ok: false, reason: expect.stringContaining('bad CA signature') });
  });
});
