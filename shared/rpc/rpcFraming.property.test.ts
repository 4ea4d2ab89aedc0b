/**
 * The JSON-lines framing takes bytes from other processes and machines (agents over SSH,
 * browsers, peers): whatever the bytes and however a stream cuts them, it must not throw or
 * hang, must deliver every whole line exactly once and in order, and must report garbage
 * through onProtocolError rather than act on it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lineSplitter.js';
import { RpcEndpoint } from './rpcEndpoint.js';

/** The splitter as it was before it was made linear: the reference for what it must do. */
class ReferenceSplitter {
  private buf = '';
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (size: number) => void,
    private readonly maxBytes: number,
  ) {}
  push(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (line.trim()) this.onLine(line);
    }
    if (this.buf.length > this.maxBytes) {
      const size = this.buf.length;
      this.buf = '';
      this.onOverflow(size);
    }
  }
}

/** Cuts `whole` at the given points (taken modulo its length): how a stream may deliver it. */
function cut<T extends string | Buffer>(whole: T, points: number[]): T[] {
  const at = [...new Set(points.map((p) => (whole.length ? p % (whole.length + 1) : 0)))].sort((a, b) => a - b);
  const out: T[] = [];
  let prev = 0;
  for (const p of [...at, whole.length]) {
    out.push(whole.slice(prev, p) as T);
    prev = p;
  }
  return out;
}

const cutPoints = fc.array(fc.nat({ max: 5000 }), { maxLength: 40 });
const text = fc.string({ unit: 'grapheme', maxLength: 30 });

describe('LineSplitter, property-based', () => {
  it('does exactly what the simple splitter did, for any chunks and any limit', () => {
    const chunk = fc.array(fc.oneof(text, fc.constantFrom('\n', ' \n', '\n\n', '\r\n', '   ')), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 30 }), fc.integer({ min: 1, max: 60 }), (chunks, max) => {
        const got: string[] = [];
        const want: string[] = [];
        const s = new LineSplitter((l) => got.push(`line:${l}`), (n) => got.push(`overflow:${n}`), max);
        const r = new ReferenceSplitter((l) => want.push(`line:${l}`), (n) => want.push(`overflow:${n}`), max);
        for (const c of chunks) {
          s.push(c);
          r.push(c);
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('delivers every non-blank line once, in order, however the text is cut', () => {
    const line = text.map((t) => t.replace(/\n/g, ''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), cutPoints, (lines, points) => {
        const got: string[] = [];
        const s = new LineSplitter((l) => got.push(l), () => expect.fail('no line is that long'));
        for (const piece of cut(lines.map((l) => l + '\n').join(''), points)) s.push(piece);
        expect(got).toEqual(lines.filter((l) => l.trim()));
      }),
    );
  });
});

type Reqs = { echo: { req: unknown; res: unknown } };
type Events = { note: unknown };

/** A server endpoint that records the requests it serves and the events it hears. */
function endpoint() {
  const served: unknown[] = [];
  const heard: unknown[] = [];
  const problems: string[] = [];
  const sent: string[] = [];
  const ep = new RpcEndpoint<Record<never, never>, Record<never, never>, Reqs, Events>((l) => sent.push(l), {
    echo: (p) => {
      served.push(p);
      return p;
    },
  }, { onProtocolError: (p) => problems.push(p) });
  ep.on('note', (d) => heard.push(d));
  return { ep, served, heard, problems, sent };
}

const payload = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const message = fc.oneof(
  fc.record({ kind: fc.constant('req' as const), params: payload }),
  fc.record({ kind: fc.constant('event' as const), data: payload }),
  // Not protocol: unreadable, or JSON of the wrong shape. Never blank.
  fc.record({ kind: fc.constant('garbage' as const), line: fc.oneof(text.map((t) => `#${t.replace(/\n/g, '')}`), fc.constantFrom('42', '"x"', 'null', '[]', '{}', '{"id":"1"}', '{"event":3}')) }),
);

describe('RpcEndpoint.receive, property-based', () => {
  it('serves every request and hears every event once, in order, and reports each garbage line, for any cut of the bytes', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 25 }), cutPoints, (msgs, points) => {
        const { ep, served, heard, problems } = endpoint();
        let id = 0;
        const lines = msgs.map((m) =>
          m.kind === 'req' ? JSON.stringify({ id: ++id, method: 'echo', params: m.params }) : m.kind === 'event' ? JSON.stringify({ event: 'note', data: m.data }) : m.line,
        );
        const bytes = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
        for (const piece of cut(bytes, points)) ep.receive(piece);
        expect(served).toEqual(msgs.filter((m) => m.kind === 'req').map((m) => (m as { params: unknown }).params));
        expect(heard).toEqual(msgs.filter((m) => m.kind === 'event').map((m) => (m as { data: unknown }).data));
        expect(problems).toHaveLength(msgs.filter((m) => m.kind === 'garbage').length);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes any bytes in any chunks without throwing or acting on them', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const { ep, served, heard, problems, sent } = endpoint();
        for (const c of chunks) ep.receive(Buffer.from(c));
        const newlines = chunks.reduce((n, c) => n + c.filter((b) => b === 10).length, 0);
        // At most one report per line; a line of random bytes is almost never a request.
        expect(problems.length).toBeLessThanOrEqual(newlines);
        expect(served.length + heard.length + problems.length).toBeLessThanOrEqual(newlines);
        expect(sent.length).toBeLessThanOrEqual(newlines);
      }),
      { numRuns: 2000 },
    );
  });

  it('a line over the limit is reported once and the stream goes on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), payload, (extra, params) => {
        const problems: string[] = [];
        const served: unknown[] = [];
        const ep = new RpcEndpoint<Record<never, never>, Record<never, never>, Reqs>(() => undefined, { echo: (p) => (served.push(p), p) }, {
          onProtocolError: (p) => problems.push(p),
        });
        ep.receive('x'.repeat(32 * 1024 * 1024 + extra));
        ep.receive(`tail\n${JSON.stringify({ id: 1, method: 'echo', params })}\n`);
        expect(problems).toHaveLength(2); // the overflow, then the overlong line's tail
        expect(problems[0]).toMatch(/a line of \d+ bytes without a newline/);
        expect(served).toEqual([params]);
      }),
      { numRuns: 5 },
    );
  });
});
