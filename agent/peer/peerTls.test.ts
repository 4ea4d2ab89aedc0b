/**
 * The peer port's TLS is pre-shared-key only: no certificate is ever checked, so no
 * certificate authority is trusted either. Leaving `ca` out made Node load its whole root
 * store (about 16 ms of CPU in each daemon's first TLS context, on every node of a cold
 * start at once) for nothing; an empty list loads none.
 */
import tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientContext, tlsClientOptions, tlsServerOptions } from './peerTls.js';

const KEY = Buffer.alloc(32, 7);

afterEach(() => vi.restoreAllMocks());

describe('peer TLS trusts no certificate authority (PSK only)', () => {
  it('the server side and a client without a shared context name an empty list of authorities', () => {
    expect(tlsServerOptions(KEY).ca).toEqual([]);
    expect(tlsClientOptions(KEY).ca).toEqual([]);
  });

  it('the shared client context is built with an empty list of authorities', () => {
    const made = vi.spyOn(tls, 'createSecureContext');
    clientContext();
    expect(made).toHaveBeenCalledWith(expect.objectContaining({ ca: [] }));
  });
});
