import { describe, expect, it } from 'vitest';
import { HandshakeGate, SshdGates } from './handshakeGate.js';

const tick = () => new Promise((r) => setImmediate(r));

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('HandshakeGate', () => {
  it('runs at most `limit` at once and starts the next as one ends, in the order they came', async () => {
    const gate = new HandshakeGate(3);
    const jobs = Array.from({ length: 7 }, () => deferred());
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const all = jobs.map((d, i) =>
      gate.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        try {
          await d.promise;
        } finally {
          running--;
        }
      }),
    );
    // Settled below; a handler now keeps the early rejection from counting as unhandled.
    all.forEach((p) => p.catch(() => undefined));
    await tick();
    expect(started).toEqual([0, 1, 2]);
    jobs[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    jobs[0]!.reject(new Error('refused'));
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const d of jobs) d.resolve();
    const results = await Promise.allSettled(all);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(most).toBe(3);
    expect(gate.running).toBe(0);
  });

  it('a caller that gives up while waiting leaves the queue without running', async () => {
    const gate = new HandshakeGate(1);
    const first = deferred();
    const busy = gate.run(() => first.promise);
    const ac = new AbortController();
    let ran = false;
    const waiting = gate.run(async () => void (ran = true), ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    first.resolve();
    await busy;
    await tick();
    expect(ran).toBe(false);
    expect(gate.running).toBe(0);
  });
});

describe('SshdGates', () => {
  /** Starts `n` handshakes to `sshd`; each runs until its deferred settles. */
  function start(gates: SshdGates, sshds: string[]) {
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    let all = 0;
    let mostAll = 0;
    const jobs = sshds.map(() => deferred());
    const done = sshds.map((sshd, i) =>
      gates.run(sshd, async () => {
        running.set(sshd, (running.get(sshd) ?? 0) + 1);
        most.set(sshd, Math.max(most.get(sshd) ?? 0, running.get(sshd)!));
        mostAll = Math.max(mostAll, ++all);
        try {
          await jobs[i]!.promise;
        } finally {
          running.set(sshd, running.get(sshd)! - 1);
          all--;
        }
      }),
    );
    // Settled by each test; a handler now keeps an early rejection from counting as unhandled.
    done.forEach((p) => p.catch(() => undefined));
    return { jobs, done, most, mostAll: () => mostAll, now: () => all };
  }

  it('bounds each sshd by its own places, not the other hosts', async () => {
    const gates = new SshdGates(2, new HandshakeGate(100));
    const r = start(gates, ['a', 'a', 'a', 'b', 'b', 'c']);
    await tick();
    expect(r.now()).toBe(5);
    expect(gates.sshds).toBe(3);
    r.jobs.forEach((d) => d.resolve());
    await Promise.all(r.done);
    expect(Object.fromEntries(r.most)).toEqual({ a: 2, b: 2, c: 1 });
    expect(gates.sshds).toBe(0);
  });

  it('keeps the bound of the whole process over many sshds, and a place freed goes to the next waiting', async () => {
    const gates = new SshdGates(2, new HandshakeGate(3));
    const r = start(gates, ['a', 'b', 'c', 'd', 'e', 'f']);
    await tick();
    expect(r.now()).toBe(3);
    r.jobs[0]!.reject(new Error('refused'));
    await tick();
    expect(r.now()).toBe(3);
    r.jobs.forEach((d) => d.resolve());
    const results = await Promise.allSettled(r.done);
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(5);
    expect(r.mostAll()).toBe(3);
    expect(gates.sshds).toBe(0);
  });

  it('a caller that gives up while waiting for its sshd leaves without running', async () => {
    const gates = new SshdGates(1, new HandshakeGate(10));
    const first = deferred();
    const busy = gates.run('a', () => first.promise);
    const ac = new AbortController();
    let ran = false;
    const waiting = gates.run('a', async () => void (ran = true), ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    first.resolve();
    await busy;
    expect(ran).toBe(false);
    expect(gates.sshds).toBe(0);
  });
});
