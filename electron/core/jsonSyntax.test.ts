import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { excerpt, findJsonSyntaxError, lineAndColumn } from './jsonSyntax.js';

const parses = (t: string) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

describe('findJsonSyntaxError', () => {
  it.each([
    ['[1, 2,]', 1, 6, /trailing comma before "\]"/],
    ['{"a": 1, "b": }', 1, 15, /expected a value/],
    ['[1 2]', 1, 4, /expected "," or "\]" after an array element \(a comma missing\?\)/],
    ['{"a" 1}', 1, 6, /expected ":" after the property name/],
    ['{"a": 1} x', 1, 10, /after the end of the JSON value/],
    ['{"path": "C:\\tmp\\x"}', 1, 17, /not an escape JSON knows/],
    ['{"a": "two\nlines"}', 1, 11, /not closed on its line/],
    ['{"port": 022}', 1, 10, /no leading zeros/],
    ['\ufeff{}', 1, 1, /byte-order mark/],
    ['[[}', 1, 3, /expected a value/],
    ['{"a": [1, 2}', 1, 12, /expected "," or "\]"/],
    ['  \n ', 1, 1, /empty/],
  ])('%j: line %i, column %i', (text, line, column, what) => {
    const p = findJsonSyntaxError(text)!;
    expect(p).toBeDefined();
    expect([p.line, p.column]).toEqual([line, column]);
    expect(p.message).toMatch(what);
  });

  it('accepts what JSON.parse accepts, and a deep nesting does not overflow the stack', () => {
    expect(findJsonSyntaxError('{"a": [1, -0.5e+3, true, false, null, "x\\u00e9\\n"], "b": {}}')).toBeUndefined();
    expect(findJsonSyntaxError('['.repeat(100_000) + ']'.repeat(100_000))).toBeUndefined();
    expect(findJsonSyntaxError('['.repeat(100_000))!.message).toMatch(/never closed/);
  });

  it('finds an error exactly when JSON.parse does, at an offset inside the text (property)', () => {
    const nearlyJson = fc.jsonValue({ maxDepth: 3 }).chain((v) => {
      const t = JSON.stringify(v, null, 1);
      // One character replaced, inserted or removed: the mistakes of a hand edit.
      return fc.tuple(fc.nat(t.length), fc.constantFrom('', ',', '}', ']', '"', "'", ':', ' ', '0', '\\', '/', '\n', 'x'), fc.boolean())
        .map(([at, ch, replace]) => t.slice(0, at) + ch + t.slice(replace ? at + 1 : at));
    });
    fc.assert(
      fc.property(fc.oneof(nearlyJson, fc.string({ unit: 'binary', maxLength: 60 })), (t) => {
        const p = findJsonSyntaxError(t);
        expect(p === undefined).toBe(parses(t));
        if (p) {
          expect(p.offset).toBeGreaterThanOrEqual(0);
          expect(p.offset).toBeLessThanOrEqual(t.length);
          expect(lineAndColumn(t, p.offset)).toEqual({ line: p.line, column: p.column });
        }
      }),
      { numRuns: 2000, seed: 13 },
    );
  });
});

describe('excerpt', () => {
  it('puts the caret under the column, keeping tabs so it lines up', () => {
    expect(excerpt('a\n\t"x": y\n', { line: 2, column: 7 })).toBe('  2 | \t"x": y\n    | \t     ^');
  });
  it('cuts a long line around the column', () => {
    const line = 'x'.repeat(300);
    const [shown, caret] = excerpt(line, { line: 1, column: 200 }).split('\n');
    expect(shown!.length).toBeLessThan(120);
    expect(caret!.indexOf('^') - caret!.indexOf('|')).toBe(shown!.indexOf('x'.repeat(59) + 'x') - shown!.indexOf('|') + 59);
  });
});
