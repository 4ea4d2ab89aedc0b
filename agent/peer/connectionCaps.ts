/** How many connections the open peer port holds at once, in all and per remote address. */
import type { Socket } from 'node:net';

/**
 * What the open peer port lets one connection hold. Before TLS nobody is known, so anyone
 * on the network could otherwise keep sockets (and their buffers) open without end.
 */
export interface PeerLimits {
  /**
   * To finish the TLS handshake. A peer with the key does it in milliseconds on an idle node;
   * a node pegged by jobs (load 16 on 2 cores was seen in tests) can take seconds.
   */
  handshakeMs: number;
  /** From the handshake to the first line (a request or a transfer header). */
  firstLineMs: number;
  /**
   * Open connections in all, and from one address. An agent keeps one RPC connection to
   * each peer it talks to, plus one per transfer under way: 16 from one node is far more
   * than a node uses, 512 is more than a cluster's nodes need and well below the usual
   * 1024 open files of a service.
   */
  maxConnections: number;
  perAddress: number;
}

export const DEFAULT_PEER_LIMITS: PeerLimits = { handshakeMs: 15_000, firstLineMs: 15_000, maxConnections: 512, perAddress: 16 };

/** Counts open incoming connections; one over a cap is closed before TLS reads a byte of it. */
export class ConnectionCaps {
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: Pick<PeerLimits, 'maxConnections' | 'perAddress'>) {}

  /** False (and the socket closed) when over a cap; else counted until it closes. */
  admit(raw: Socket): boolean {
    const addr = raw.remoteAddress;
    const fromAddr = addr ? (this.perAddress.get(addr) ?? 0) : 0;
    if (!addr || this.total >= this.limits.maxConnections || fromAddr >= this.limits.perAddress) {
      raw.on('error', () => undefined);
      raw.destroy();
      return false;
    }
    this.perAddress.set(addr, fromAddr + 1);
    this.total++;
    raw.once('close', () => {
      this.total--;
      const n = (this.perAddress.get(addr) ?? 1) - 1;
      if (n > 0) this.perAddress.set(addr, n);
      else this.perAddress.delete(addr);
    });
    return true;
  }
}
