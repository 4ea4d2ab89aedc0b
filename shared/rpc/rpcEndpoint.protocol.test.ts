/** What an endpoint does with a peer that does not speak the protocol: it reports, and keeps serving. */
import { describe, expect, it } from 'vitest';
import { RpcEndpoint } from './rpcEndpoint.js';
import type { ServerEvents, ServerReqs } from './rpcTestMaps.test-util.js';

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
