/** copyWith is `{ ...base, ...extra }`: the same keys, values and key order, whatever the objects. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyWith } from './copyWith.js';

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'load', 'constructor', 'toString', '0', '17', 'hasOwnProperty'));
const value = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 3 }));
/** Objects as JSON.parse makes them, so that "__proto__" is an own key as it would be from a peer. */
const object = fc.array(fc.tuple(key, value), { maxLength: 12 }).map((pairs) => JSON.parse(JSON.stringify(Object.fromEntries(pairs))) as Record<string, unknown>);
const jsonOf = (o: object) => JSON.parse(`[${JSON.stringify(o)}]`) as unknown;

describe('copyWith', () => {
  it('gives what the spread gives: same own keys in the same order, same values, same prototype', () => {
    fc.assert(
      fc.property(object, object, (base, extra) => {
        const want: Record<string, unknown> = { ...base, ...extra };
        const got = copyWith(base, extra) as Record<string, unknown>;
        expect(Reflect.ownKeys(got)).toEqual(Reflect.ownKeys(want));
        for (const k of Reflect.ownKeys(want)) expect(got[k as string]).toBe(want[k as string]);
        expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(want));
        expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an own "__proto__" key of a peer\'s JSON as a key, never as the copy\'s prototype', () => {
    const base = JSON.parse('{"node":3,"__proto__":{"up":true}}') as object;
    const got = copyWith(base, { load: 1 }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(jsonOf(got)).toEqual([{ node: 3, ['__proto__']: { up: true }, load: 1 }]);
    expect(got.up).toBeUndefined();
  });

  it('leaves both objects as they were', () => {
    const base = { a: 1, b: { c: 2 } };
    const extra = { b: 3 };
    copyWith(base, extra);
    expect(base).toEqual({ a: 1, b: { c: 2 } });
    expect(extra).toEqual({ b: 3 });
  });
});
