/**
 * OpenSSH certificates (PROTOCOL.certkeys): parsing a host certificate's blob and checking
 * it the way ssh(1) does against the @cert-authority lines of known_hosts: a host
 * certificate, signed by a trusted CA that is not revoked, naming the host among its
 * principals, and valid now.
 */
import { matchPattern } from './hostPattern.js';
import { verifySshSignature, wireString, WireReader } from './sshWire.js';

export interface OpensshCert {
  /** "ssh-ed25519-cert-v01@openssh.com" */
  certType: string;
  /** The certified key's own type, "ssh-ed25519". */
  keyType: string;
  /** The certified key as a plain SSH public key blob (what a handshake without certificates presents). */
  keyBlob: Buffer;
  serial: bigint;
  kind: 'user' | 'host';
  keyId: string;
  principals: string[];
  /** Seconds since the epoch; validBefore 2^64-1 is "forever". */
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: Buffer;
  caKeyBlob: Buffer;
  /** The CA's signature over every field before it. */
  signature: Buffer;
  signed: Buffer;
}

const KEY_FIELDS: Record<string, number> = {
  'ssh-ed25519': 1,
  'ecdsa-sha2-nistp256': 2,
  'ecdsa-sha2-nistp384': 2,
  'ecdsa-sha2-nistp521': 2,
  'ssh-rsa': 2,
};

export const CERT_SUFFIX = '-cert-v01@openssh.com';

export function isCertType(type: string): boolean {
  return type.endsWith(CERT_SUFFIX);
}

/** Parses a certificate blob; throws on anything that is not a well-formed OpenSSH certificate. */
export function parseOpensshCert(blob: Buffer): OpensshCert {
  const r = new WireReader(blob);
  const certType = r.text();
  if (!isCertType(certType)) throw new Error(`not an OpenSSH certificate: ${certType}`);
  const keyType = certType.slice(0, -CERT_SUFFIX.length);
  const fields = KEY_FIELDS[keyType];
  if (!fields) throw new Error(`unsupported certificate key type ${keyType}`);
  r.string(); // nonce
  // RSA certificates hold e before n, as the plain key does.
  const keyParts = Array.from({ length: fields }, () => r.string());
  const serial = r.u64();
  const kindCode = r.u32();
  if (kindCode !== 1 && kindCode !== 2) throw new Error(`unknown certificate type ${kindCode}`);
  const keyId = r.text();
  const principalList = new WireReader(r.string());
  const principals: string[] = [];
  while (!principalList.done) principals.push(principalList.text());
  const validAfter = r.u64();
  const validBefore = r.u64();
  const criticalOptions = r.string();
  r.string(); // extensions
  r.string(); // reserved
  const caKeyBlob = r.string();
  const signed = blob.subarray(0, r.pos);
  const signature = r.string();
  if (!r.done) throw new Error('trailing data after the certificate signature');
  const keyBlob = Buffer.concat([wireString(keyType), ...keyParts.map(wireString)]);
  return {
    certType, keyType, keyBlob, serial, kind: kindCode === 2 ? 'host' : 'user', keyId, principals,
    validAfter, validBefore, criticalOptions, caKeyBlob, signature, signed,
  };
}

export type CertVerdict = { ok: true; cert: OpensshCert } | { ok: false; reason: string };

export interface CertTrust {
  /** The host name ssh looks up (the HostName, not "[host]:port"). */
  host: string;
  /** CA keys (plain blobs) of the @cert-authority lines that match the host. */
  trustedCAs: Buffer[];
  /** Keys of @revoked lines: a revoked CA signs nothing, a revoked host key is refused even when certified. */
  revokedKeys: Buffer[];
  nowSeconds: number;
}

/** ssh(1)'s check of a host certificate, with its reasons for a refusal. */
export function checkHostCert(blob: Buffer, t: CertTrust): CertVerdict {
  let cert: OpensshCert;
  try {
    cert = parseOpensshCert(blob);
  } catch (e) {
    return { ok: false, reason: `malformed host certificate: ${(e as Error).message}` };
  }
  const at = (s: bigint) => (s >= 0xffffffffffffffffn ? 'forever' : new Date(Number(s) * 1000).toISOString());
  if (cert.kind !== 'host') return { ok: false, reason: `certificate "${cert.keyId}" is a user certificate, not a host certificate` };
  if (t.revokedKeys.some((k) => k.equals(cert.caKeyBlob))) return { ok: false, reason: `the CA that signed certificate "${cert.keyId}" is REVOKED in known_hosts` };
  if (t.revokedKeys.some((k) => k.equals(cert.keyBlob))) return { ok: false, reason: `the key of certificate "${cert.keyId}" is REVOKED in known_hosts` };
  if (!t.trustedCAs.some((k) => k.equals(cert.caKeyBlob))) return { ok: false, reason: `certificate "${cert.keyId}" is signed by a CA known_hosts does not trust for ${t.host}` };
  let good = false;
  try {
    good = verifySshSignature(cert.caKeyBlob, cert.signed, cert.signature);
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: `certificate "${cert.keyId}" has a bad CA signature` };
  const now = BigInt(Math.floor(t.nowSeconds));
  if (now < cert.validAfter) return { ok: false, reason: `certificate "${cert.keyId}" is not valid before ${at(cert.validAfter)}` };
  if (now >= cert.validBefore) return { ok: false, reason: `certificate "${cert.keyId}" expired at ${at(cert.validBefore)}` };
  // ssh(1) allows an empty principal list for host certificates; otherwise the host must be named (patterns allowed).
  if (cert.principals.length && !cert.principals.some((p) => matchPattern(p, t.host))) {
    return { ok: false, reason: `certificate "${cert.keyId}" is for ${cert.principals.join(', ')}, not for ${t.host}` };
  }
  if (cert.criticalOptions.length) return { ok: false, reason: `certificate "${cert.keyId}" has critical options, which host certificates must not` };
  return { ok: true, cert };
}
