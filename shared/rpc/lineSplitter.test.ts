/**
 * The splitter's work must grow with the bytes fed, not with their square: a long line in
 * many small chunks (an agent's big answer over SSH) was re-scanned from its start on
 * every chunk. The work is counted as the characters String#indexOf is asked to search.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_BYTES } from './lineSplitter.js';

const realIndexOf = String.prototype.indexOf;

/** Counts the characters searched by every String#indexOf call while `fn` runs. */
function scannedDuring(fn: () => void): number {
  let scanned = 0;
  // Not vi.spyOn: a spy keeps every call's `this`, here hundreds of long strings.
  String.prototype.indexOf = function (this: string, search: string, from?: number) {
    const start = Math.max(0, Math.min(this.length, from ?? 0));
    const at = realIndexOf.call(this, search, start);
    scanned += (at < 0 ? this.length : at + search.length) - start;
    return at;
  };
  try {
    fn();
  } finally {
    String.prototype.indexOf = realIndexOf;
  }
  return scanned;
}

afterEach(() => {
  String.prototype.indexOf = realIndexOf;
});

describe('LineSplitter work', () => {
  it('scans a 32 MiB line fed in 64 KiB chunks about once, and delivers it whole', () => {
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Math.floor(MAX_LINE_BYTES / chunk.length) - 1;
    const lines: string[] = [];
    const overflow: number[] = [];
    const s = new LineSplitter((l) => lines.push(l), (n) => overflow.push(n));
    const scanned = scannedDuring(() => {
      for (let i = 0; i < chunks; i++) s.push(chunk);
      s.push('end\n{"id":1}\n');
    });
    const fed = chunks * chunk.length + 13;
    expect(overflow).toEqual([]);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.length).toBe(chunks * chunk.length + 3);
    expect(lines[0]!.endsWith('xend')).toBe(true);
    expect(lines[1]).toBe('{"id":1}');
    // Each character is looked at once when it arrives (a quadratic splitter scans ~250 times more).
    expect(scanned).toBeLessThanOrEqual(fed);
  });

  it('still reports an overlong line once, measured over all its chunks', () => {
    const overflow: number[] = [];
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), (n) => overflow.push(n), 100);
    for (let i = 0; i < 5; i++) s.push('x'.repeat(30));
    // 4 chunks (120 characters) passed the limit: reported then, and the buffer dropped.
    expect(overflow).toEqual([120]);
    s.push('y\nok\n');
    expect(lines).toEqual(['x'.repeat(30) + 'y', 'ok']);
  });
});

describe('LineSplitter lines', () => {
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
});
