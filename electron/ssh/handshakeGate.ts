/**
 * At most `limit` SSH handshakes at a time from this process. sshd drops unauthenticated
 * connections beyond its MaxStartups (default 10:30:100: from the 11th on, 30 % and more are
 * refused), so opening 64 nodes at once would lose some at random. A handshake holds its
 * place from TCP connect (or channel open) until sshd no longer counts it: failed, or
 * authenticated and one round trip later (sshConnect.ts, postAuthRoundTrip).
 */
export const MAX_CONCURRENT_HANDSHAKES = 8;

export class HandshakeGate {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit = MAX_CONCURRENT_HANDSHAKES) {}

  get running(): number {
    return this.active;
  }

  /** Runs `work` once a place is free; a caller whose `signal` aborts while waiting leaves the queue. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.enter(signal);
    try {
      return await work();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  private enter(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = () => {
        this.queue.splice(this.queue.indexOf(go), 1);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(go);
    });
  }
}
