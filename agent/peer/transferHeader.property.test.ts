/**
 * The transfer header is the first thing a peer sends: any JSON must get either a header
 * that is safe to act on, or an Error that says what was wrong (never a TypeError from
 * poking into a null, never a header that names a path or overruns the node's limit).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHeader, MAX_TRANSFER_FILES } from './transferHeader.js';

const SAFE = /^[A-Za-z0-9._-]{1,200}$/;

/** A verdict: the header, or the message of the Error it threw (anything else fails the test). */
function verdict(h: unknown, max?: number): { header?: ReturnType<typeof checkHeader>; error?: string } {
  try {
    return { header: checkHeader(h, max) };
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(RangeError);
    return { error: (e as Error).message };
  }
}

/** What every accepted header must be. */
function checkAccepted(h: ReturnType<typeof checkHeader>, max: number): void {
  expect(SAFE.test(h.transfer)).toBe(true);
  expect(Number.isSafeInteger(h.from) && h.from >= 1).toBe(true);
  expect(h.files.length).toBeLessThanOrEqual(MAX_TRANSFER_FILES);
  const names = h.files.map((f) => f.name);
  expect(new Set(names).size).toBe(names.length);
  for (const f of h.files) {
    expect(SAFE.test(f.name) && !f.name.startsWith('.') && !f.name.includes('/')).toBe(true);
    expect(Number.isSafeInteger(f.size) && f.size >= 0 && f.size <= max).toBe(true);
  }
  expect(h.files.reduce((s, f) => s + f.size, 0)).toBeLessThanOrEqual(max);
}

const nameLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/),
  fc.constantFrom('', '.', '..', '../etc/passwd', 'a/b', '.hidden', 'x.part', 'a'.repeat(201), 'ünïcode', 'nul\0byte'),
  fc.jsonValue({ maxDepth: 1 }),
);
const sizeLike = fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constantFrom(2 ** 53, -1, '10', null, Infinity), fc.jsonValue({ maxDepth: 1 }));
const entryLike = fc.oneof(
  fc.record({ name: nameLike, size: sizeLike, sha256: fc.string() }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 2 }),
);
/** Close to a header, so the checks past the first are reached too. */
const headerLike = fc.record(
  {
    transfer: nameLike,
    from: fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.jsonValue({ maxDepth: 1 })),
    files: fc.oneof(fc.array(entryLike, { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })),
  },
  { requiredKeys: [] },
);

describe('checkHeader, property-based', () => {
  it('any JSON: a safe header or a clear Error saying what was wrong', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), headerLike), fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 1e6 })), (h, max) => {
        const v = verdict(JSON.parse(JSON.stringify(h) ?? 'null'), max);
        if (v.header) checkAccepted(v.header, max ?? 64 * 1024 ** 3);
        else expect(v.error).toMatch(/^bad transfer header: .+|over this node's limit of .+ per transfer/);
      }),
      { numRuns: 5000 },
    );
  });

  it('a well-formed header within the limit is taken as it is', () => {
    const file = fc.record({ name: fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,20}\.img$/), size: fc.nat({ max: 1000 }), sha256: fc.constant('') });
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/), fc.integer({ min: 1, max: 65535 }), fc.uniqueArray(file, { selector: (f) => f.name, maxLength: 8 }), (transfer, from, files) => {
        const h = { transfer, from, files };
        expect(checkHeader(h, 8000)).toEqual(h);
        const total = files.reduce((s, f) => s + f.size, 0);
        if (total > 0) expect(() => checkHeader(h, total - 1)).toThrow(/over this node's limit/);
      }),
    );
  });
});
