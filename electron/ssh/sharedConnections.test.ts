import { describe, expect, it } from 'vitest';
import { SharedConnections } from './sharedConnections.js';

/** A fake connection: opened by `open`, ended by `end`, `closed` is fired when it goes away on its own. */
class Conn {
  ended = 0;
  private onClose?: () => void;
  constructor(readonly n: number) {}
  closed() {
    this.onClose?.();
  }
  watch(f: () => void) {
    this.onClose = f;
  }
}

function pool() {
  const opened: Conn[] = [];
  const pending: { resolve: (c: Conn) => void; reject: (e: Error) => void }[] = [];
  const shared = new SharedConnections<Conn>({
    end: (c) => void c.ended++,
    onClose: (c, f) => c.watch(f),
  });
  const open = () =>
    new Promise<Conn>((resolve, reject) => {
      pending.push({
        resolve: (c) => {
          opened.push(c);
          resolve(c);
        },
        reject,
      });
    });
  return { shared, open, opened, pending };
}

describe('SharedConnections', () => {
  it('callers with the same key share one connection, ended when the last lets go', async () => {
    const { shared, open, pending } = pool();
    const a = shared.acquire('gw', open);
    const b = shared.acquire('gw', open);
    expect(pending).toHaveLength(1);
    const c = new Conn(1);
    pending[0]!.resolve(c);
    const [la, lb] = await Promise.all([a, b]);
    expect(la.connection).toBe(c);
    expect(lb.connection).toBe(c);
    la.release();
    la.release();
    expect(c.ended).toBe(0);
    lb.release();
    expect(c.ended).toBe(1);
    expect(shared.size).toBe(0);
  });

  it('other keys get their own connections', async () => {
    const { shared, open, pending } = pool();
    void shared.acquire('gw1', open);
    void shared.acquire('gw2', open);
    expect(pending).toHaveLength(2);
  });

  it('a connection that closed is replaced by a new one for the next caller', async () => {
    const { shared, open, pending } = pool();
    const first = shared.acquire('gw', open);
    const c1 = new Conn(1);
    pending[0]!.resolve(c1);
    const l1 = await first;
    c1.closed();
    const second = shared.acquire('gw', open);
    expect(pending).toHaveLength(2);
    pending[1]!.resolve(new Conn(2));
    expect((await second).connection.n).toBe(2);
    l1.release();
    expect(c1.ended).toBe(0);
  });

  it('a failed open reaches every waiter and is not kept: the next caller tries again', async () => {
    const { shared, open, pending } = pool();
    const a = shared.acquire('gw', open);
    const b = shared.acquire('gw', open);
    pending[0]!.reject(new Error('jump host unreachable'));
    await expect(a).rejects.toThrow('jump host unreachable');
    await expect(b).rejects.toThrow('jump host unreachable');
    void shared.acquire('gw', open);
    expect(pending).toHaveLength(2);
  });

  it('a caller that gives up while it opens leaves the others waiting; nobody left: ended once open', async () => {
    const { shared, open, pending } = pool();
    const ac = new AbortController();
    const a = shared.acquire('gw', open, ac.signal);
    const b = shared.acquire('gw', open);
    ac.abort(new Error('cancelled'));
    await expect(a).rejects.toThrow('cancelled');
    const c = new Conn(1);
    pending[0]!.resolve(c);
    const lb = await b;
    expect(lb.connection).toBe(c);
    lb.release();
    expect(c.ended).toBe(1);

    const ac2 = new AbortController();
    const lone = shared.acquire('gw2', open, ac2.signal);
    ac2.abort(new Error('cancelled'));
    await expect(lone).rejects.toThrow('cancelled');
    const c2 = new Conn(2);
    pending[1]!.resolve(c2);
    await new Promise((r) => setImmediate(r));
    expect(c2.ended).toBe(1);
    expect(shared.size).toBe(0);
  });
});
