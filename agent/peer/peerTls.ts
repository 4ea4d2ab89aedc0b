/**
 * The TLS settings of the agents' peer port, both ends: TLS 1.2 with the cluster's pre-shared
 * key, no certificates to manage; a peer without the key fails the handshake and can send
 * nothing. Requests, file transfers and page channels all go through these.
 */
import tls from 'node:tls';

/**
 * TLS 1.2 with the cluster key, AEAD and forward secrecy first. AES-128-GCM (with DHE, as
 * OpenSSL has no ECDHE-PSK-AES-GCM for TLS 1.2) carried a page channel ~1.7x as fast as
 * ChaCha20-Poly1305 between two Node processes here (median 315 vs 184 MiB/s, 7 alternating
 * runs of 512 MiB); migration memory goes through this. A Node whose server cannot use
 * dhparam 'auto' (older than 18.16) drops the DHE suites and the next one is agreed on.
 */
const CIPHERS = 'DHE-PSK-AES128-GCM-SHA256:ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES256-CBC-SHA384:PSK-AES256-GCM-SHA384';
const IDENTITY = 'mosixview';

/**
 * Suites, versions and no certificate authority: PSK checks no certificate, and without an
 * empty `ca` Node loads its whole root store into each first context (about 16 ms of CPU per
 * daemon, on every node of a cold start at once).
 */
const SUITES = { ciphers: CIPHERS, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ca: [] as string[] } as const;

/**
 * How a client reaches a peer: TLS 1.2 with the cluster's pre-shared key, no certificates.
 * Pass a `secureContext` from clientContext() to share one among many dials: without it each
 * connection builds its own, about 9 ms of CPU (a collector's node dials 63 peers).
 */
export function tlsClientOptions(key: Buffer, secureContext?: tls.SecureContext): tls.ConnectionOptions {
  return {
    ...SUITES,
    checkServerIdentity: () => undefined,
    pskCallback: () => ({ psk: key, identity: IDENTITY }),
    ...(secureContext ? { secureContext } : {}),
  };
}

/** The client side's TLS context (suites and versions; the key goes by pskCallback), built once per channel. */
export function clientContext(): tls.SecureContext {
  return tls.createSecureContext({ ...SUITES });
}

/** How the peer port answers: the same suite and key; a client without the key fails the handshake. */
export function tlsServerOptions(key: Buffer): tls.TlsOptions {
  return {
    ...SUITES,
    pskIdentityHint: IDENTITY,
    pskCallback: (_s, identity) => (identity === IDENTITY ? key : null),
    // Well-known groups of sufficient strength (RFC 7919), for the DHE suite.
    dhparam: 'auto',
  };
}
