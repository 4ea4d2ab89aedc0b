/**
 * At most `limit` SSH handshakes at a time to one sshd. sshd drops unauthenticated
 * connections beyond its MaxStartups (default 10:30:100: from the 11th on, 30 % and more are
 * refused), so opening 64 nodes behind one address at once would lose some at random. A
 * handshake holds its place from TCP connect (or channel open) until sshd no longer counts it:
 * failed, or authenticated and one round trip later (sshConnect.ts, postAuthRoundTrip).
 */
export const MAX_CONCURRENT_HANDSHAKES = 8;

/**
 * At most this many handshakes at a time from the whole process, whatever the sshds: each
 * costs this process key exchange and signatures, and under that load a handshake must
 * still finish within its ready timeout (64 nodes on 2 cores).
 */
export const MAX_HANDSHAKES_IN_PROCESS = 2 * MAX_CONCURRENT_HANDSHAKES;

export class HandshakeGate {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit = MAX_CONCURRENT_HANDSHAKES) {}

  get running(): number {
    return this.active;
  }

  /** Callers waiting for a place. */
  get waiting(): number {
    return this.queue.length;
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

/**
 * The places by sshd (MaxStartups counts per sshd: 16 nodes with an sshd each need not wait
 * for each other; the nodes behind one jump host share one gate), each taken before one of
 * the process's places. Always in that order, so
 * a caller holding an sshd's place only ever waits for handshakes that are running.
 */
export class SshdGates {
  private readonly bySshd = new Map<string, HandshakeGate>();

  constructor(
    private readonly perSshd = MAX_CONCURRENT_HANDSHAKES,
    private readonly all = new HandshakeGate(MAX_HANDSHAKES_IN_PROCESS),
  ) {}

  /** `sshd`: whose places (a host's address, or the jump hosts that every node behind them shares). */
  async run<T>(sshd: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let gate = this.bySshd.get(sshd);
    if (!gate) this.bySshd.set(sshd, (gate = new HandshakeGate(this.perSshd)));
    try {
      return await gate.run(() => this.all.run(work, signal), signal);
    } finally {
      if (gate.running === 0 && gate.waiting === 0) this.bySshd.delete(sshd);
    }
  }

  /** sshds with a handshake running or waiting (the map does not keep idle ones). */
  get sshds(): number {
    return this.bySshd.size;
  }
}
