/**
 * The page channel of one migration: CRIU's page-xfer connection carried between two
 * agents. On the source, `criu dump --page-server --ps-socket 3` writes the job's memory
 * pages into fd 3 as it dumps them; on the target, `criu page-server --ps-socket 3` reads
 * them from its fd 3 and writes them into the migration's image directory. In between,
 * each agent bridges its CRIU's fd 3 to the peer channel (TLS with the cluster key), so the
 * pages are never in the clear and never touch the source's disk.
 *
 * Integrity, end to end, without a hash of our own: both ends count what passes between
 * CRIU's fd 3 and the TLS connection, at exactly the points where it enters and leaves TLS.
 * TLS (AEAD with a key derived from the cluster key, a sequence number in every record's
 * nonce) checks every record before it hands a byte over: a changed, dropped, replayed or
 * reordered record ends the connection, so the bytes the target's page server gets are a
 * prefix of those the source sent, in order. Equal counts, compared before the restore,
 * rule out the one thing left, a channel cut short. A SHA-256 over the same bytes would
 * check the same thing a second time and halved the channel's throughput (measured).
 */
import type { Duplex } from 'node:stream';

/** Bytes written on and not yet taken by the other side before the reading side pauses. */
export const IN_FLIGHT_BYTES = 1 << 20;

/** What one side of a page channel saw pass from source to target. */
export interface PagesSeen {
  bytes: number;
}

/** A page channel as the migration code holds it; the checkpointer knows its own kind. */
export interface PageChannel {
  readonly id: string;
  /** Bytes of pages that went through so far (progress). */
  bytes(): number;
  /** Ends it (after a failure: the CRIU at the other end then fails too). */
  close(): void;
}

/** A page channel over a real byte stream (the TLS connection to the other agent). */
export class StreamPageChannel implements PageChannel {
  private seen = 0;

  constructor(
    readonly id: string,
    readonly stream: Duplex,
    /** Called with the byte count as pages go through (for progress reports). */
    private readonly onBytes: (bytes: number) => void = () => {},
  ) {
    stream.on('error', () => undefined);
  }

  bytes(): number {
    return this.seen;
  }

  close(): void {
    this.stream.destroy();
  }

  /**
   * Connects CRIU's fd 3 to the channel, both ways. `direction` says which way the pages go
   * here: 'send' (source: fd 3 to the peer), 'receive' (target: the peer to fd 3). Resolves
   * with what passed once CRIU closed its end; the caller decides from CRIU's exit status.
   */
  bridge(fd3: Duplex, direction: 'send' | 'receive'): Promise<PagesSeen> {
    const [from, to] = direction === 'send' ? [fd3, this.stream] : [this.stream, fd3];
    const [back, backTo] = direction === 'send' ? [this.stream, fd3] : [fd3, this.stream];
    fd3.on('error', () => undefined);
    let corked = false;
    let paused = false;
    from.on('data', (d: Buffer) => {
      this.seen += d.length;
      this.onBytes(this.seen);
      // TLS hands over one record (16 KiB) at a time, several from one network read, all in
      // the same tick: they go to CRIU as one writev. Every write is a system call (dear on a
      // VM) and a wake-up of the CRIU reading it. An end() flushes what is corked.
      if (direction === 'receive' && !corked) {
        corked = true;
        to.cork();
        process.nextTick(() => {
          corked = false;
          to.uncork();
        });
      }
      to.write(d);
      // Our own limit, not the streams' 16 KiB: a 64 KiB read of CRIU's fd 3 (or four TLS
      // records) would otherwise pause the source after every chunk and wait for a drain.
      if (!paused && to.writableLength >= IN_FLIGHT_BYTES) {
        paused = true;
        from.pause();
        to.once('drain', () => {
          paused = false;
          from.resume();
        });
      }
    });
    back.on('data', (d: Buffer) => backTo.write(d));
    // The channel was paused while its first line was read: a listener alone does not resume it.
    this.stream.resume();
    fd3.resume();
    // Either side going away ends the other: a CRIU waiting on a dead peer would hang.
    const endBoth = () => {
      if (!fd3.destroyed) fd3.destroy();
      if (!this.stream.destroyed) this.stream.end();
    };
    // The source finished: the target's page server still gets what TLS delivered and is
    // written on (up to IN_FLIGHT_BYTES), then its end of the stream.
    const peerDone = direction === 'receive' ? () => (fd3.writableEnded ? undefined : fd3.end()) : endBoth;
    this.stream.once('end', peerDone);
    this.stream.once('close', () => (this.stream.readableEnded ? peerDone() : endBoth()));
    // A record that fails TLS's check errors the connection without always closing it at once.
    this.stream.once('error', endBoth);
    return new Promise((resolve) => {
      fd3.once('close', () => {
        endBoth();
        resolve({ bytes: this.seen });
      });
    });
  }
}
