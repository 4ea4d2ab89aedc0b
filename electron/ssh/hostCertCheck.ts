/**
 * Whether a host is vouched for by a CA of known_hosts (@cert-authority), as ssh(1) accepts
 * it: only asked for hosts with a matching @cert-authority line and no plain key on record.
 * The certificate comes from a probe before the real handshake (hostCertProbe.ts).
 */
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { certAuthorities, knownKeyTypes, type KnownHostsSource } from './knownHosts.js';
import { checkHostCert, type CertVerdict } from './opensshCert.js';
import { probeHostCert } from './hostCertProbe.js';

export function tcpTo(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host, port });
    s.once('connect', () => resolve(s)).once('error', reject);
  });
}

/**
 * The verdict on the host's certificate, or undefined when certificates do not apply (no CA
 * for the host, a plain key already known, or the server offers no certificate): then the
 * host key is checked as usual. A certificate that fails the check is a refusal, as in ssh(1).
 */
export async function hostCertVerdict(
  files: KnownHostsSource[],
  host: string,
  port: number,
  open: () => Promise<Duplex>,
  timeoutMs: number,
  nowSeconds = Date.now() / 1000,
): Promise<CertVerdict | undefined> {
  const cas = certAuthorities(files, host, port);
  if (cas.trustedCAs.length === 0 || knownKeyTypes(files, host, port).length > 0) return undefined;
  let blob: Buffer | undefined;
  try {
    const sock = await open();
    const timer = setTimeout(() => sock.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    try {
      blob = await probeHostCert(sock);
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    // A server that cannot prove it holds its certified key is refused; one that cannot be asked is checked as usual.
    if (/does not prove/.test((e as Error).message)) return { ok: false, reason: (e as Error).message };
    return undefined;
  }
  return blob ? checkHostCert(blob, { host, ...cas, nowSeconds }) : undefined;
}
