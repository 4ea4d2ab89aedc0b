/**
 * One connection per key, shared by every caller that needs it: all nodes behind one ProxyJump
 * host reach it over a single SSH connection (forwardOut per node), instead of one connection
 * each that would trip the jump host's MaxStartups. Counted references: the connection is
 * ended when its last user lets go, and replaced when it closed by itself.
 */
export interface Lease<C> {
  connection: C;
  /** Idempotent. */
  release(): void;
}

interface Entry<C> {
  opening: Promise<C>;
  users: number;
  closed: boolean;
}

export class SharedConnections<C> {
  private readonly entries = new Map<string, Entry<C>>();

  constructor(
    private readonly ops: {
      end(c: C): void;
      /** Calls `f` once `c` has closed (by itself or by end). */
      onClose(c: C, f: () => void): void;
    },
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The shared connection for `key`, opened with `open` if there is none; `signal` abandons only this caller's wait. */
  async acquire(key: string, open: () => Promise<C>, signal?: AbortSignal): Promise<Lease<C>> {
    let entry = this.entries.get(key);
    if (!entry || entry.closed) {
      const e: Entry<C> = { opening: open(), users: 0, closed: false };
      entry = e;
      this.entries.set(key, e);
      e.opening.then(
        (c) => {
          this.ops.onClose(c, () => {
            e.closed = true;
            if (this.entries.get(key) === e) this.entries.delete(key);
          });
          // Everyone gave up while it opened.
          if (e.users === 0) this.ops.end(c);
        },
        () => {
          e.closed = true;
          if (this.entries.get(key) === e) this.entries.delete(key);
        },
      );
    }
    const e = entry;
    e.users++;
    let held = true;
    const letGo = (c?: C) => {
      if (!held) return;
      held = false;
      if (--e.users === 0) {
        if (this.entries.get(key) === e) this.entries.delete(key);
        if (c && !e.closed) this.ops.end(c);
      }
    };
    let c: C;
    try {
      c = await (signal ? abortable(e.opening, signal) : e.opening);
    } catch (err) {
      letGo();
      throw err;
    }
    return { connection: c, release: () => letGo(c) };
  }
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
