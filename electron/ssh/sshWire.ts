/**
 * SSH wire encoding (RFC 4251 section 5) and SSH public key blobs as node:crypto keys:
 * shared by the host certificate check and the certificate probe.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Reads length-prefixed fields from a buffer; throws on a short or malformed one. */
export class WireReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error('truncated SSH data');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  u8(): number {
    return this.bytes(1)[0]!;
  }

  u32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  u64(): bigint {
    return this.bytes(8).readBigUInt64BE(0);
  }

  string(): Buffer {
    return this.bytes(this.u32());
  }

  text(): string {
    return this.string().toString('utf8');
  }
}

export function wireString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** An mpint from unsigned big-endian bytes (leading zeros dropped, a 0 added before a high bit). */
export function wireMpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  const v = unsigned.subarray(i);
  return wireString(v.length && v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

const b64url = (b: Buffer) => b.toString('base64url');
const unsigned = (mpint: Buffer) => (mpint[0] === 0 ? mpint.subarray(1) : mpint);

const CURVES: Record<string, { crv: string; hash: string; size: number }> = {
  nistp256: { crv: 'P-256', hash: 'sha256', size: 32 },
  nistp384: { crv: 'P-384', hash: 'sha384', size: 48 },
  nistp521: { crv: 'P-521', hash: 'sha512', size: 66 },
};

/** A public key as node:crypto needs it, from its SSH blob ("ssh-ed25519", "ecdsa-sha2-*", "ssh-rsa"). */
export function publicKeyOfBlob(blob: Buffer): KeyObject {
  const r = new WireReader(blob);
  const type = r.text();
  if (type === 'ssh-ed25519') return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(r.string()) }, format: 'jwk' });
  if (type.startsWith('ecdsa-sha2-')) {
    const curve = CURVES[r.text()];
    const q = r.string();
    if (!curve || q[0] !== 4 || q.length !== 1 + 2 * curve.size) throw new Error(`unsupported ECDSA key (${type})`);
    const x = q.subarray(1, 1 + curve.size);
    const y = q.subarray(1 + curve.size);
    return createPublicKey({ key: { kty: 'EC', crv: curve.crv, x: b64url(x), y: b64url(y) }, format: 'jwk' });
  }
  if (type === 'ssh-rsa') {
    const e = unsigned(r.string());
    const n = unsigned(r.string());
    return createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
  }
  throw new Error(`unsupported key type ${type}`);
}

/**
 * Whether `signature` (an SSH signature blob: string type, string data) by the key `keyBlob`
 * is good for `data`. SHA-1 RSA signatures ("ssh-rsa") are refused, as OpenSSH does by default.
 */
export function verifySshSignature(keyBlob: Buffer, data: Buffer, signature: Buffer): boolean {
  const key = publicKeyOfBlob(keyBlob);
  const r = new WireReader(signature);
  const sigType = r.text();
  const sig = r.string();
  const keyType = new WireReader(keyBlob).text();
  if (sigType === 'ssh-ed25519' && keyType === 'ssh-ed25519') return verify(null, data, key, sig);
  if (sigType.startsWith('ecdsa-sha2-') && sigType === keyType) {
    const curve = CURVES[sigType.slice('ecdsa-sha2-'.length)]!;
    const rs = new WireReader(sig);
    const pad = (m: Buffer) => {
      const u = unsigned(m);
      return Buffer.concat([Buffer.alloc(Math.max(0, curve.size - u.length)), u]);
    };
    const p1363 = Buffer.concat([pad(rs.string()), pad(rs.string())]);
    return verify(curve.hash, data, { key, dsaEncoding: 'ieee-p1363' }, p1363);
  }
  if ((sigType === 'rsa-sha2-256' || sigType === 'rsa-sha2-512') && keyType === 'ssh-rsa') {
    return verify(sigType === 'rsa-sha2-256' ? 'sha256' : 'sha512', data, key, sig);
  }
  return false;
}
