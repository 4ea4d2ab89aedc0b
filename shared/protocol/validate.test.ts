import { describe, expect, it } from 'vitest';
import { RpcError } from './rpc.js';
import { refusal } from './refusal.test-util.js';
import { array, bool, custom, dict, int, none, num, obj, oneOf, optional, refine, show, str, validated, validateRequest } from './validate.js';


describe('validator kit', () => {
  it('int: whole numbers within the range; the message names the field, the range and what came', () => {
    const v = int(1, 10);
    expect(v.check(1, 'n')).toBe(1);
    expect(v.check(10, 'n')).toBe(10);
    expect(refusal(() => v.check(0, 'n'))).toBe('n: expected a whole number from 1 to 10, got 0');
    expect(refusal(() => v.check(2.5, 'n'))).toBe('n: expected a whole number from 1 to 10, got 2.5');
    expect(refusal(() => v.check('3', 'n'))).toBe('n: expected a whole number from 1 to 10, got "3"');
    expect(refusal(() => v.check(undefined, 'n'))).toBe('n: expected a whole number from 1 to 10, got nothing');
    expect(refusal(() => int(1, 2, 'a node number').check('x', 'nodeId'))).toBe('nodeId: expected a node number, got "x"');
  });

  it('num: finite numbers within the range (NaN and Infinity are none)', () => {
    const v = num(-5, 5);
    expect(v.check(-4.5, 'x')).toBe(-4.5);
    for (const bad of [Number.NaN, Infinity, 6, '1', null]) expect(refusal(() => v.check(bad, 'x'))).toMatch(/^x: expected a number from -5 to 5, got /);
  });

  it('bool, str and oneOf', () => {
    expect(bool.check(false, 'b')).toBe(false);
    expect(refusal(() => bool.check('true', 'b'))).toBe('b: expected true or false, got "true"');
    expect(str({ max: 3 }).check('', 's')).toBe('');
    expect(refusal(() => str({ max: 3 }).check('abcd', 's'))).toBe('s: expected a text of at most 3 characters (may be empty), got "abcd"');
    expect(refusal(() => str({ min: 1, max: 3 }).check('', 's'))).toBe('s: expected a text of 1 to 3 characters, got ""');
    const color = oneOf(['red', 'green'] as const);
    expect(color.check('red', 'c')).toBe('red');
    for (const key of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(refusal(() => color.check(key, 'c'))).toBe(`c: expected one of "red", "green", got "${key}"`);
    }
  });

  it('none: null or nothing, and nothing else', () => {
    expect(none.check(null, '')).toBeNull();
    expect(none.check(undefined, '')).toBeNull();
    expect(refusal(() => none.check({}, ''))).toBe('the request: expected null (this request takes no parameters), got {}');
  });

  it('obj: every field checked by its path, optional ones may be left out, unknown ones refused by name', () => {
    const v = obj({ nodeId: int(1, 9), deep: obj({ on: bool }), note: optional(str({ max: 5 })) });
    expect(v.check({ nodeId: 2, deep: { on: true } }, '')).toEqual({ nodeId: 2, deep: { on: true } });
    expect(v.check({ nodeId: 2, deep: { on: true }, note: 'hi' }, '')).toEqual({ nodeId: 2, deep: { on: true }, note: 'hi' });
    expect(refusal(() => v.check({ nodeId: 2, deep: { on: 1 } }, ''))).toBe('deep.on: expected true or false, got 1');
    expect(refusal(() => v.check({ nodeId: 2, deep: { on: true }, force: 1 }, ''))).toBe('force: unknown field: send only nodeId, deep, note');
    expect(refusal(() => v.check({ nodeId: 2, deep: { on: true, off: 1 } }, ''))).toBe('deep.off: unknown field: send only on');
    expect(refusal(() => v.check(null, ''))).toBe('the request: expected an object with nodeId, deep, note?, got null');
    expect(refusal(() => v.check([1], ''))).toMatch(/^the request: expected an object/);
    // A field named like an Object.prototype key is a field it does not take, not a pass.
    expect(refusal(() => v.check(JSON.parse('{"nodeId":2,"deep":{"on":true},"__proto__":{"x":1}}'), ''))).toBe('__proto__: unknown field: send only nodeId, deep, note');
  });

  it('array and dict: bounded, each item checked at its index or key', () => {
    const v = array(int(0, 9), { min: 1, max: 2 });
    expect(v.check([1, 2], 'xs')).toEqual([1, 2]);
    expect(refusal(() => v.check([], 'xs'))).toBe('xs: expected a list of 1 to 2 items, each a whole number from 0 to 9, got []');
    expect(refusal(() => v.check([1, 2, 3], 'xs'))).toMatch(/^xs: expected a list of 1 to 2 items/);
    expect(refusal(() => v.check([1, 'a'], 'xs'))).toBe('xs[1]: expected a whole number from 0 to 9, got "a"');
    const env = dict(str({ max: 4 }), 2);
    expect(env.check({ A: 'b' }, 'env')).toEqual({ A: 'b' });
    expect(refusal(() => env.check({ A: 1 }, 'env'))).toBe('env.A: expected a text of at most 4 characters (may be empty), got 1');
    expect(refusal(() => env.check({ a: '', b: '', c: '' }, 'env'))).toMatch(/^env: expected an object of at most 2 names/);
  });

  it('refine and custom: a rule of its own, said at the field it is about', () => {
    const range = refine(obj({ from: int(0, 9), to: int(0, 9) }), (r) => (r.to < r.from ? { at: 'to', says: 'must not be before from' } : undefined));
    expect(range.check({ from: 1, to: 2 }, '')).toEqual({ from: 1, to: 2 });
    expect(refusal(() => range.check({ from: 3, to: 2 }, ''))).toBe('to: must not be before from');
    const even = custom('an even number', (v, at) => {
      if (typeof v !== 'number' || v % 2) throw new RpcError('EINVAL', `${at}: expected an even number`);
      return v;
    });
    expect(even.check(4, 'n')).toBe(4);
  });

  it('show: values as JSON, cut short', () => {
    expect(show('x')).toBe('"x"');
    expect(show(undefined)).toBe('nothing');
    expect(show('y'.repeat(100))).toHaveLength(60);
  });

  it('validateRequest and validated: handlers get checked parameters; a channel without a validator is refused', () => {
    const validators = { add: obj({ a: int(0, 9), b: int(0, 9) }) };
    expect(validateRequest(validators, 'add', { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(refusal(() => validateRequest(validators, 'toString', {}))).toBe('"toString" has no validator: this build cannot check its parameters');
    const seen: unknown[] = [];
    const h = validated({ add: (p: { a: number; b: number }) => (seen.push(p), p.a + p.b) }, validators);
    expect(h.add({ a: 1, b: 2 })).toBe(3);
    expect(refusal(() => h.add({ a: 1, b: 'two' } as never))).toBe('b: expected a whole number from 0 to 9, got "two"');
    expect(seen).toEqual([{ a: 1, b: 2 }]);
  });
});
