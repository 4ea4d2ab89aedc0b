/**
 * A small validator kit for requests: one validator per channel is declared beside each
 * protocol map (`*.validate.ts`) and run once, where requests are dispatched. Hand-written
 * because the agent is one bundle with built-in modules only. An invalid request is an
 * RpcError with the code every validator used before ("EINVAL") and a message that names
 * the field, what came and what to send instead: `nodeId: expected a node number ..., got "x"`.
 */
import { RpcError } from './rpc.js';

export const INVALID_REQUEST = 'EINVAL';

export interface Validator<T> {
  /** What to send, in words ("a whole number from 1 to 65535"). */
  readonly want: string;
  /** The value as T, or an RpcError naming `at` (the field's path; '' for the whole request). */
  check(v: unknown, at: string): T;
  /** Set by optional(): the field may be left out. */
  readonly optional?: true;
}

export type Checked<V> = V extends Validator<infer T> ? T : never;
type Shape = Record<string, Validator<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };
export type ObjOf<S extends Shape> = Flat<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Checked<S[K]> } & { [K in OptionalKeys<S>]?: Checked<S[K]> }>;

/** A value as an error message shows it: JSON, cut short. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const where = (at: string) => at || 'the request';
export const fieldPath = (at: string, key: string | number) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key);

export function invalid(at: string, problem: string): RpcError {
  return new RpcError(INVALID_REQUEST, `${where(at)}: ${problem}`);
}
function expected(at: string, want: string, got: unknown): RpcError {
  return invalid(at, `expected ${want}, got ${show(got)}`);
}

export function custom<T>(want: string, check: (v: unknown, at: string) => T): Validator<T> {
  return { want, check };
}

/** `base`, then a rule of its own: `problem` says what is wrong (and what to do), or undefined. */
export function refine<T>(base: Validator<T>, problem: (v: T) => { at?: string | number; says: string } | undefined, want = base.want): Validator<T> {
  return custom(want, (v, at) => {
    const ok = base.check(v, at);
    const p = problem(ok);
    if (p) throw invalid(p.at === undefined ? at : fieldPath(at, p.at), p.says);
    return ok;
  });
}

export function int(min: number, max: number, want = `a whole number from ${min} to ${max}`): Validator<number> {
  return custom(want, (v, at) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw expected(at, want, v);
    return v;
  });
}

/** A finite number (no NaN or Infinity: JSON has none, and a NaN passes every comparison). */
export function num(min: number, max: number, want = `a number from ${min} to ${max}`): Validator<number> {
  return custom(want, (v, at) => {
    if (typeof v !== 'number' || !(v >= min && v <= max)) throw expected(at, want, v);
    return v;
  });
}

export const bool: Validator<boolean> = custom('true or false', (v, at) => {
  if (typeof v !== 'boolean') throw expected(at, 'true or false', v);
  return v;
});

export function str(opts: { min?: number; max: number; want?: string }): Validator<string> {
  const min = opts.min ?? 0;
  const want = opts.want ?? (min > 0 ? `a text of ${min} to ${opts.max} characters` : `a text of at most ${opts.max} characters (may be empty)`);
  return custom(want, (v, at) => {
    if (typeof v !== 'string' || v.length < min || v.length > opts.max) throw expected(at, want, v);
    return v;
  });
}

/** One of a few exact values; compared with ===, so "toString" or "__proto__" is never one of them. */
export function oneOf<const T extends readonly (string | number | boolean)[]>(values: T, want = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`): Validator<T[number]> {
  return custom(want, (v, at) => {
    if (!values.includes(v as T[number])) throw expected(at, want, v);
    return v as T[number];
  });
}

/** No parameters: null (or nothing at all). */
export const none: Validator<null> = custom('null (this request takes no parameters)', (v, at) => {
  if (v !== null && v !== undefined) throw expected(at, 'null (this request takes no parameters)', v);
  return null;
});

/** A request that may also be sent as null (no parameters: the defaults). */
export function orNull<T>(v: Validator<T>): Validator<T | null> {
  return custom(`null or ${v.want}`, (x, at) => (x === null || x === undefined ? null : v.check(x, at)));
}

export function optional<T>(v: Validator<T>): Validator<T | undefined> & { optional: true } {
  return { want: `${v.want} (or left out)`, optional: true, check: (x, at) => (x === undefined ? undefined : v.check(x, at)) };
}

export function array<T>(item: Validator<T>, opts: { min?: number; max: number; want?: string }): Validator<T[]> {
  const min = opts.min ?? 0;
  const want = opts.want ?? `a list of ${min} to ${opts.max} items, each ${item.want}`;
  return custom(want, (v, at) => {
    if (!Array.isArray(v) || v.length < min || v.length > opts.max) throw expected(at, want, v);
    return v.map((x, i) => item.check(x, fieldPath(at, i)));
  });
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object with exactly these fields (optional ones may be left out); any other field is refused by name. */
export function obj<S extends Shape>(shape: S, want?: string): Validator<ObjOf<S>> {
  const keys = Object.keys(shape);
  const w = want ?? (keys.length ? `an object with ${keys.map((k) => (shape[k]!.optional ? `${k}?` : k)).join(', ')}` : 'an empty object');
  return custom(w, (v, at) => {
    if (!isRecord(v)) throw expected(at, w, v);
    for (const k of Object.keys(v)) {
      if (!Object.hasOwn(shape, k)) throw invalid(fieldPath(at, k), `unknown field: send only ${keys.join(', ') || 'no fields'}`);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const x = Object.hasOwn(v, k) ? v[k] : undefined;
      const checked = shape[k]!.check(x, fieldPath(at, k));
      if (checked !== undefined) out[k] = checked;
    }
    return out as ObjOf<S>;
  });
}

/** Keys to values (an environment: names to texts): at most `max` entries, every value checked. */
export function dict<T>(value: Validator<T>, max: number, want = `an object of at most ${max} names to texts`): Validator<Record<string, T>> {
  return custom(want, (v, at) => {
    if (!isRecord(v) || Object.keys(v).length > max) throw expected(at, want, v);
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) {
      // Assigning "__proto__" would set the object's prototype, not add an entry.
      if (k === '__proto__') throw invalid(fieldPath(at, k), 'not a name any request takes');
      out[k] = value.check(x, fieldPath(at, k));
    }
    return out;
  });
}

/** One validator per request of a protocol map: a missing channel does not compile. */
export type Validators<M extends Record<string, { req: unknown }>> = { [K in keyof M]: Validator<M[K]['req']> };

/** Checks a request's parameters against its channel's validator: the checked value, or EINVAL. */
export function validateRequest(validators: Record<string, Validator<unknown>>, channel: string, params: unknown): unknown {
  const v = Object.hasOwn(validators, channel) ? validators[channel] : undefined;
  if (!v) throw new RpcError(INVALID_REQUEST, `"${channel}" has no validator: this build cannot check its parameters`);
  return v.check(params, '');
}

/** Each handler behind its channel's validator: handlers receive checked, typed parameters only. */
export function validated<H extends Record<string, ((p: never) => unknown) | undefined>>(handlers: H, validators: Record<string, Validator<unknown>>): H {
  const out: Record<string, (p: unknown) => unknown> = {};
  for (const [name, h] of Object.entries(handlers)) {
    if (!h) continue;
    const fn = h as (p: unknown) => unknown;
    out[name] = (p) => fn(validateRequest(validators, name, p));
  }
  return out as unknown as H;
}
