import { afterEach, describe, expect, it, vi } from 'vitest';
import { RpcEndpoint, type Handlers } from './rpcEndpoint.js';
import { LineSplitter } from './lineSplitter.js';
import { RpcError } from '../protocol/rpc.js';

type ServerReqs = {
  add: { req: { a: number; b: number }; res: number };
  echo: { req: { text: string }; res: { text: string } };
  fail: { req: { code: string }; res: null };
  failPlain: { req: null; res: null };
  never: { req: null; res: null };
  nothing: { req: null; res: null };
};
type ServerEvents = { tick: { n: number; text?: string } };
type ClientReqs = { ping: { req: null; res: 'pong' } };

type Client = RpcEndpoint<ServerReqs, Record<never, never>, ClientReqs, ServerEvents>;
type Server = RpcEndpoint<ClientReqs, ServerEvents, ServerReqs, Record<never, never>>;

/** Cuts `s` into pieces at the given byte offsets (as a stream could deliver it). */
function cutBytes(buf: Buffer, sizes: () => number): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  while (i < buf.length) {
    const n = Math.max(1, sizes());
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** A deterministic PRNG so a failing split pattern can be reproduced. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

type Mode = 'whole' | 'bytes1' | 'random';

/**
 * Two endpoints wired back to back. Every line sent is delivered asynchronously, as
 * Buffers, cut according to `mode` (whole lines, single bytes, or random sizes).
 */
function pair(mode: Mode, serverHandlers: Handlers<ServerReqs>, opts: { clientTimeoutMs?: number } = {}) {
  const rnd = prng(12345);
  const deliver = (to: () => { receive(c: Buffer): void }) => (line: string) => {
    const bytes = Buffer.from(line, 'utf8');
    const chunks =
      mode === 'whole' ? [bytes] : mode === 'bytes1' ? cutBytes(bytes, () => 1) : cutBytes(bytes, () => Math.floor(rnd() * 7) + 1);
    queueMicrotask(() => chunks.forEach((c) => to().receive(c)));
  };
  const clientProblems: string[] = [];
  const serverProblems: string[] = [];
  let server: Server;
  const client: Client = new RpcEndpoint(deliver(() => server), { ping: () => 'pong' as const }, {
    onProtocolError: (p) => clientProblems.push(p),
    timeoutMs: opts.clientTimeoutMs,
  });
  server = new RpcEndpoint(deliver(() => client), serverHandlers, { onProtocolError: (p) => serverProblems.push(p) });
  return { client, server, clientProblems, serverProblems };
}

const handlers: Handlers<ServerReqs> = {
  add: ({ a, b }) => a + b,
  echo: async ({ text }) => ({ text }),
  fail: ({ code }) => {
    throw new RpcError(code, `failed with ${code}`);
  },
  failPlain: () => {
    throw new Error('plain failure');
  },
  never: () => new Promise<null>(() => undefined),
  nothing: () => null,
};

afterEach(() => {
  vi.useRealTimers();
});

describe.each<Mode>(['whole', 'bytes1', 'random'])('RpcEndpoint pair, chunks: %s', (mode) => {
  it('answers requests, several in flight at once', async () => {
    const { client, clientProblems, serverProblems } = pair(mode, handlers);
    const results = await Promise.all([
      client.request('add', { a: 2, b: 3 }),
      client.request('echo', { text: 'hello, wörld ✓ 𝄞 — ünïcödé' }),
      client.request('add', { a: -1, b: 1 }),
      client.request('nothing', null),
    ]);
    expect(results).toEqual([5, { text: 'hello, wörld ✓ 𝄞 — ünïcödé' }, 0, null]);
    expect(clientProblems).toEqual([]);
    expect(serverProblems).toEqual([]);
  });

  it('serves requests in both directions', async () => {
    const { server } = pair(mode, handlers);
    await expect(server.request('ping', null)).resolves.toBe('pong');
  });

  it('keeps the error code across the link', async () => {
    const { client } = pair(mode, handlers);
    const err = await client.request('fail', { code: 'ENOTFOUND' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('ENOTFOUND');
    expect((err as RpcError).message).toBe('failed with ENOTFOUND');

    const plain = await client.request('failPlain', null).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(RpcError);
    expect((plain as RpcError).code).toBe('EFAIL');
    expect((plain as RpcError).message).toBe('plain failure');
  });

  it('answers an unknown method with ENOMETHOD', async () => {
    const { client } = pair(mode, {});
    const err = (await client.request('add', { a: 1, b: 1 }).catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('ENOMETHOD');
    expect(err.message).toContain('add');
  });

  it('does not serve inherited Object.prototype names as methods', async () => {
    const { client } = pair(mode, handlers);
    const c = client as unknown as RpcEndpoint<{ toString: { req: null; res: unknown } }, Record<never, never>>;
    await expect(c.request('toString', null)).rejects.toMatchObject({ code: 'ENOMETHOD' });
  });

  it('delivers events to listeners until they unsubscribe', async () => {
    const { client, server } = pair(mode, handlers);
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = client.on('tick', (d) => a.push(d));
    client.on('tick', (d) => b.push(d));
    server.emit('tick', { n: 1, text: 'ä€𝄞' });
    // A request after the event: its answer arrives after the event was delivered.
    await client.request('nothing', null);
    expect(a).toEqual([{ n: 1, text: 'ä€𝄞' }]);
    offA();
    server.emit('tick', { n: 2 });
    await client.request('nothing', null);
    expect(a).toEqual([{ n: 1, text: 'ä€𝄞' }]);
    expect(b).toEqual([{ n: 1, text: 'ä€𝄞' }, { n: 2 }]);
  });
});

describe('RpcEndpoint timeouts and close', () => {
  it('rejects with ETIMEDOUT when no answer comes in time', async () => {
    vi.useFakeTimers();
    const { client } = pair('whole', handlers, { clientTimeoutMs: 2000 });
    const p = client.request('never', null).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1999);
    let settled = false;
    void p.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    const err = (await p) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('ETIMEDOUT');
    expect(err.message).toContain('never');
  });

  it('a per-request timeout overrides the default', async () => {
    vi.useFakeTimers();
    const { client } = pair('whole', handlers, { clientTimeoutMs: 60000 });
    const p = client.request('never', null, 100).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(150);
    expect(await p).toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('a late answer after a timeout is ignored', async () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const problems: string[] = [];
    const ep = new RpcEndpoint<ServerReqs, Record<never, never>>((l) => sent.push(l), {}, { onProtocolError: (p) => problems.push(p) });
    const p = ep.request('add', { a: 1, b: 2 }, 50).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60);
    expect(await p).toMatchObject({ code: 'ETIMEDOUT' });
    const { id } = JSON.parse(sent[0]!) as { id: number };
    ep.receive(JSON.stringify({ id, result: 3 }) + '\n');
    expect(problems).toEqual([]);
  });

  it('close() rejects pending requests with ECLOSED and later requests fail at once', async () => {
    const { client } = pair('whole', handlers);
    const p1 = client.request('never', null).catch((e: unknown) => e);
    const p2 = client.request('never', null).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 10));
    expect(client.closed).toBe(false);
    client.close('link lost');
    expect(client.closed).toBe(true);
    expect(await p1).toMatchObject({ code: 'ECLOSED', message: 'link lost' });
    expect(await p2).toMatchObject({ code: 'ECLOSED', message: 'link lost' });
    const later = (await client.request('add', { a: 1, b: 1 }).catch((e: unknown) => e)) as RpcError;
    expect(later).toBeInstanceOf(RpcError);
    expect(later.code).toBe('ECLOSED');
    expect(later.message).toBe('link lost');
    // A second close keeps the first reason.
    client.close('other');
    await expect(client.request('add', { a: 1, b: 1 })).rejects.toMatchObject({ message: 'link lost' });
  });

  it('close() clears pending timers (no late ETIMEDOUT)', async () => {
    vi.useFakeTimers();
    const ep = new RpcEndpoint<ServerReqs, Record<never, never>>(() => undefined);
    const p = ep.request('never', null, 1000).catch((e: unknown) => e);
    ep.close('bye');
    expect(await p).toMatchObject({ code: 'ECLOSED' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a send that throws closes the endpoint with the reason', async () => {
    const ep = new RpcEndpoint<ServerReqs, Record<never, never>>(() => {
      throw new Error('EPIPE broken pipe');
    });
    await expect(ep.request('add', { a: 1, b: 1 })).rejects.toMatchObject({ code: 'ECLOSED', message: 'cannot send: EPIPE broken pipe' });
    expect(ep.closed).toBe(true);
  });

  it('emit after close sends nothing', () => {
    const sent: string[] = [];
    const ep = new RpcEndpoint<Record<never, never>, ServerEvents>((l) => sent.push(l));
    ep.emit('tick', { n: 1 });
    ep.close('done');
    ep.emit('tick', { n: 2 });
    expect(sent).toEqual([JSON.stringify({ event: 'tick', data: { n: 1 } }) + '\n']);
  });
});

describe('RpcEndpoint protocol errors', () => {
  function lone() {
    const problems: string[] = [];
    const sent: string[] = [];
    const ep = new RpcEndpoint<ServerReqs, Record<never, never>, Record<never, never>, ServerEvents>((l) => sent.push(l), {}, {
      onProtocolError: (p) => problems.push(p),
    });
    return { ep, problems, sent };
  }

  it('reports a line that is not JSON', () => {
    const { ep, problems } = lone();
    ep.receive('Welcome to Ubuntu 24.04 LTS\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/unreadable output/);
    expect(problems[0]).toContain('Welcome to Ubuntu');
  });

  it.each([
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"hi"'],
  ])('reports JSON that is %s', (_what, line) => {
    const { ep, problems } = lone();
    ep.receive(line + '\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/unexpected output/);
    expect(problems[0]).toContain(line);
  });

  it.each([
    ['an empty object', '{}'],
    ['an id without method/result/error', '{"id":1}'],
    ['a string id', '{"id":"1","result":2}'],
    ['an array', '[1,2]'],
  ])('reports JSON objects that are not messages: %s', (_what, line) => {
    const { ep, problems } = lone();
    ep.receive(line + '\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/unexpected message/);
  });

  it('truncates the quoted line in the description', () => {
    const { ep, problems } = lone();
    ep.receive('x'.repeat(5000) + '\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.length).toBeLessThan(300);
  });

  it('ignores blank lines and keeps working after garbage', async () => {
    const { ep, problems, sent } = lone();
    const got: unknown[] = [];
    ep.on('tick', (d) => got.push(d));
    ep.receive('\n   \n\r\n');
    expect(problems).toEqual([]);
    ep.receive('garbage\n{"event":"tick","data":{"n":7}}\n');
    expect(problems).toHaveLength(1);
    expect(got).toEqual([{ n: 7 }]);
    const p = ep.request('add', { a: 1, b: 2 });
    const { id } = JSON.parse(sent[0]!) as { id: number };
    ep.receive(JSON.stringify({ id, result: 3 }) + '\r\n');
    await expect(p).resolves.toBe(3);
  });

  it('an answer with a malformed error body still rejects with a code', async () => {
    const { ep, sent } = lone();
    const p = ep.request('add', { a: 1, b: 2 }).catch((e: unknown) => e);
    const { id } = JSON.parse(sent[0]!) as { id: number };
    ep.receive(JSON.stringify({ id, error: null }) + '\n');
    expect(await p).toMatchObject({ code: 'EFAIL' });
  });
});

describe('LineSplitter', () => {
  it('splits lines across chunks and drops blank ones', () => {
    const lines: string[] = [];
    const overflow: number[] = [];
    const s = new LineSplitter((l) => lines.push(l), (n) => overflow.push(n));
    s.push('ab');
    s.push('c\nde');
    s.push('f\n\n\ng');
    expect(lines).toEqual(['abc', 'def']);
    s.push('\n');
    expect(lines).toEqual(['abc', 'def', 'g']);
    expect(overflow).toEqual([]);
  });

  it('reports a line longer than the limit once, then recovers on the next line', () => {
    const lines: string[] = [];
    const overflow: number[] = [];
    const s = new LineSplitter((l) => lines.push(l), (n) => overflow.push(n), 16);
    s.push('0123456789');
    expect(overflow).toEqual([]);
    s.push('0123456789');
    expect(overflow).toEqual([20]);
    // The overlong line's remainder arrives, then a normal line.
    s.push('tail\nok\n');
    expect(lines).toEqual(['tail', 'ok']);
    expect(overflow).toEqual([20]);
  });

  it('a line of exactly the limit without newline is kept', () => {
    const lines: string[] = [];
    const overflow: number[] = [];
    const s = new LineSplitter((l) => lines.push(l), (n) => overflow.push(n), 8);
    s.push('12345678');
    s.push('\n');
    expect(overflow).toEqual([]);
    expect(lines).toEqual(['12345678']);
  });

  it('RpcEndpoint turns an overlong line into a protocol error', async () => {
    // The endpoint uses the default limit (32 MiB): feed just over it without a newline.
    const problems: string[] = [];
    const ep = new RpcEndpoint<ServerReqs, Record<never, never>>(() => undefined, {}, { onProtocolError: (p) => problems.push(p) });
    const { MAX_LINE_BYTES } = await import('./lineSplitter.js');
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i <= MAX_LINE_BYTES / chunk.length && problems.length === 0; i++) ep.receive(chunk);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/a line of \d+ bytes without a newline/);
  });
});
