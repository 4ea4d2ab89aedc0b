import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { allowedGrowth, MAX_SEQ_JUMP, RELEARN_AFTER, ReplayGuard } from './replayGuard.js';
import { ExchangeSocket, seqMarkFile } from './exchangeSocket.js';
import { testPort } from './testPort.test-util.js';

const HOUR = 3_600_000;

/** A sender whose clock is `skew` ms off ours, sending every 500 ms; transit `delay` ms. */
function stream(g: ReplayGuard, from: number, skew: number, start: number, n: number, delay = 2, seq0 = 1) {
  const taken: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const now = start + i * 500;
    taken.push(g.admit({ from, seq: seq0 + i, t: now + skew - delay }, now + 0));
  }
  return taken;
}

describe('replay guard', () => {
  it('takes senders whose clocks are hours off ours, either way', () => {
    const g = new ReplayGuard(5000);
    expect(stream(g, 2, -2 * HOUR, 1e12, 20).every(Boolean)).toBe(true);
    expect(stream(g, 3, +3 * HOUR, 1e12, 20).every(Boolean)).toBe(true);
    expect(g.stats).toMatchObject({ accepted: 40, stale: 0, replayed: 0 });
  });
  it('an envelope held back beyond the limit is stale, even from a skewed sender', () => {
    const g = new ReplayGuard(5000);
    stream(g, 2, -2 * HOUR, 1e12, 4);
    const now = 1e12 + 10_000;
    // Made 6 s ago by the sender's clock (newer seq than any taken), delivered only now.
    expect(g.admit({ from: 2, seq: 100, t: now - 2 * HOUR - 6_000 }, now)).toBe(false);
    expect(g.admit({ from: 2, seq: 101, t: now - 2 * HOUR - 1_000 }, now)).toBe(true);
    expect(g.stats).toMatchObject({ stale: 1 });
  });
  it('follows a sender\'s slow drift, and learns a clock that stepped back once it holds steady', () => {
    const g = new ReplayGuard(5000);
    // 0.5 ms/s drift over 3 hours: 5.4 s, yet never stale.
    let seq = 1;
    for (let s = 0; s <= 3 * 3600; s += 10) expect(g.admit({ from: 2, seq: seq++, t: 1e12 + s * 1000 - s * 0.5 }, 1e12 + s * 1000)).toBe(true);
    // The sender's clock steps back a minute: stale until the new lag has held RELEARN_AFTER times.
    const base = 1e12 + 4 * HOUR;
    const taken = Array.from({ length: RELEARN_AFTER + 2 }, (_, i) => g.admit({ from: 2, seq: seq++, t: base + i * 500 - 60_000 }, base + i * 500));
    expect(taken).toEqual([...new Array(RELEARN_AFTER - 1).fill(false), true, true, true]);
    // A replay of an old envelope is still a replay.
    expect(g.admit({ from: 2, seq: 5, t: base }, base + 10_000)).toBe(false);
  });
  it('late envelopes that do not agree with each other never teach a new lag', () => {
    const g = new ReplayGuard(5000);
    stream(g, 2, 0, 1e12, 3);
    const now = 1e12 + 60_000;
    const taken = Array.from({ length: 3 * RELEARN_AFTER }, (_, i) => g.admit({ from: 2, seq: 100 + i, t: now - 10_000 - (i % 2) * 20_000 }, now + i));
    expect(taken.some(Boolean)).toBe(false);
  });
  it('the sequence marks of a previous run keep old captures out after a restart', () => {
    const g = new ReplayGuard(5000, { 2: 500 });
    expect(g.admit({ from: 2, seq: 400, t: 0 }, 1e12)).toBe(false);
    expect(g.admit({ from: 2, seq: 501, t: 0 }, 1e12)).toBe(true);
    expect(g.marks()).toEqual({ 2: 501 });
  });
});

describe('sequence numbers far ahead', () => {
  it('one datagram with a huge sequence number does not silence its sender', () => {
    // The last envelope was 500 ms before: the sender's numbers may have grown by allowedGrowth(500).
    for (const huge of [Number.MAX_SAFE_INTEGER, 1e12, 10 + allowedGrowth(500) + 1]) {
      const g = new ReplayGuard(5000);
      expect(stream(g, 2, 0, 1e12, 10).every(Boolean)).toBe(true);
      expect(g.admit({ from: 2, seq: huge, t: 1e12 + 5000 }, 1e12 + 5000)).toBe(false);
      // The sender goes on from where it was: every datagram is still taken.
      expect(stream(g, 2, 0, 1e12 + 5500, 10, 2, 11).every(Boolean)).toBe(true);
      expect(g.marks()).toEqual({ 2: 20 });
      expect(g.stats).toMatchObject({ accepted: 20, ahead: 1, replayed: 0 });
    }
  });

  it('a jump within the window is taken at once', () => {
    const g = new ReplayGuard(5000);
    expect(g.admit({ from: 2, seq: 1, t: 0 }, 0)).toBe(true);
    expect(g.admit({ from: 2, seq: 1 + MAX_SEQ_JUMP, t: 500 }, 500)).toBe(true);
    expect(g.stats).toMatchObject({ accepted: 2, ahead: 0 });
  });

  it('a sender back after a long silence is taken at once: its numbers grew with the time', () => {
    const g = new ReplayGuard(5000);
    stream(g, 2, 0, 1e12, 3);
    expect(g.admit({ from: 2, seq: 3 + HOUR * 1000, t: 1e12 + HOUR }, 1e12 + HOUR)).toBe(true);
    expect(g.stats).toMatchObject({ accepted: 4, ahead: 0 });
  });

  it('a real jump (the sender\'s clock stepped forward) is taken once the next datagram confirms it', () => {
    const g = new ReplayGuard(5000);
    stream(g, 2, 0, 1e12, 3);
    const far = 3 + 100 * MAX_SEQ_JUMP;
    const at = 1e12 + 2000;
    expect(g.admit({ from: 2, seq: far, t: at }, at)).toBe(false);
    expect(g.admit({ from: 2, seq: far + 500, t: at + 500 }, at + 500)).toBe(true);
    expect(g.admit({ from: 2, seq: far + 1000, t: at + 1000 }, at + 1000)).toBe(true);
    // Below the new floor is a replay now, the held-back datagram included.
    expect(g.admit({ from: 2, seq: far, t: at + 1000 }, at + 1000)).toBe(false);
    expect(g.admit({ from: 2, seq: 4, t: at + 1000 }, at + 1000)).toBe(false);
    expect(g.stats).toMatchObject({ accepted: 5, ahead: 1, replayed: 2 });
  });

  it('a second far datagram that is not just above the first confirms nothing', () => {
    const g = new ReplayGuard(5000);
    stream(g, 2, 0, 1e12, 3);
    expect(g.admit({ from: 2, seq: Number.MAX_SAFE_INTEGER - 1, t: 1e12 + 2000 }, 1e12 + 2000)).toBe(false);
    expect(g.admit({ from: 2, seq: 1e15, t: 1e12 + 2000 }, 1e12 + 2000)).toBe(false);
    expect(g.admit({ from: 2, seq: 4, t: 1e12 + 2500 }, 1e12 + 2500)).toBe(true);
    expect(g.marks()).toEqual({ 2: 4 });
  });

  it('marks loaded after a restart are bounded the same way', () => {
    const g = new ReplayGuard(5000, { 2: 500 });
    expect(g.admit({ from: 2, seq: Number.MAX_SAFE_INTEGER, t: 1e12 }, 1e12)).toBe(false);
    expect(g.admit({ from: 2, seq: 501, t: 1e12 }, 1e12)).toBe(true);
  });
});

describe('a sender heard from rarely', () => {
  it('every envelope is taken when a sender gossips to one of 63 peers (one in ~30 s, some minutes apart)', () => {
    // 64 nodes: each sends to one random peer every 500 ms, so a receiver hears from a given
    // sender about every 32 s. Its sequence is its clock in microseconds, so it grows by the
    // time between two envelopes: that is no jump, however long.
    const g = new ReplayGuard(5000);
    let now = 1e12;
    let n = 0;
    for (const gapS of [0.5, 12, 31, 95, 240, 3, 40, 600]) {
      now += gapS * 1000;
      expect(g.admit({ from: 2, seq: now * 1000, t: now - 2 }, now), `after ${gapS} s`).toBe(true);
      n++;
    }
    expect(g.stats).toMatchObject({ accepted: n, ahead: 0, replayed: 0 });
  });

  it('a sequence further ahead than the time since its last envelope is still held back once', () => {
    const g = new ReplayGuard(5000);
    const now = 1e12;
    expect(g.admit({ from: 2, seq: now * 1000, t: now }, now)).toBe(true);
    // 30 s later by our clock, the sender's numbers ran an hour ahead: its clock stepped (or a key holder forged it).
    const later = now + 30_000;
    const far = (later + HOUR) * 1000;
    expect(g.admit({ from: 2, seq: far, t: later }, later)).toBe(false);
    expect(g.admit({ from: 2, seq: far + 500_000, t: later + 500 }, later + 500)).toBe(true);
    expect(g.stats).toMatchObject({ accepted: 2, ahead: 1 });
  });
});

describe('sequence marks on disk', () => {
  it('a restarted sender goes on above every number it used, even with its clock set back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-seq-'));
    const file = join(dir, 'exchange-seq.json');
    const key = randomBytes(32);
    const port = testPort();
    let clock = 2e12;
    const run = async (n: number) => {
      const s = new ExchangeSocket(key, 1, port, () => undefined, () => clock, 5000, seqMarkFile(file, 'k1'));
      await s.start('127.0.0.1');
      const seqs = Array.from({ length: n }, () => s.send('127.0.0.1', null)!);
      s.close();
      return seqs;
    };
    const first = await run(2);
    clock -= HOUR; // the clock went back while the agent was down
    const [next] = await run(1);
    expect(next).toBeGreaterThan(first[1]!);
    expect(JSON.parse(readFileSync(file, 'utf8')).keyId).toBe('k1');
    // Another cluster key: the marks are not this cluster's, and are not used.
    expect(seqMarkFile(file, 'k2').load()).toBeUndefined();
  });

  it('a receiver takes a restarted sender at once, also after it was down an hour', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-seq-'));
    const key = randomBytes(32);
    const port = testPort();
    let clock = 2e12;
    const got: number[] = [];
    const receiver = new ExchangeSocket(key, 2, port, (e) => got.push(e.seq), () => clock);
    await receiver.start('127.0.0.2');
    try {
      const run = async (n: number) => {
        const s = new ExchangeSocket(key, 1, port, () => undefined, () => clock, 5000, seqMarkFile(join(dir, 'seq.json'), 'k1'));
        await s.start('127.0.0.1');
        const seqs: number[] = [];
        for (let i = 0; i < n; i++) {
          seqs.push(s.send('127.0.0.2', null)!);
          clock += 500;
          await new Promise((r) => setTimeout(r, 20));
        }
        s.close();
        return seqs;
      };
      const until = async (n: number) => {
        for (let i = 0; i < 100 && got.length < n; i++) await new Promise((r) => setTimeout(r, 20));
      };
      const first = await run(3);
      await until(3);
      expect(got).toEqual(first);
      // Restarted at once: its floor is within the window.
      const second = await run(3);
      await until(6);
      expect(got).toEqual([...first, ...second]);
      // Down for an hour: its numbers grew with the clock the receiver reads too.
      clock += HOUR;
      const third = await run(3);
      await until(9);
      expect(got).toEqual([...first, ...second, ...third]);
      expect(receiver.guard.stats).toMatchObject({ accepted: 9, ahead: 0, replayed: 0, stale: 0 });
    } finally {
      receiver.close();
    }
  });
});
