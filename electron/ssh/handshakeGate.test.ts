import { describe, expect, it } from 'vitest';
import { HandshakeGate } from './handshakeGate.js';

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
