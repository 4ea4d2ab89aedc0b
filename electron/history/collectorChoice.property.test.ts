/**
 * Property test of <config>/history.json, the remembered collector node per profile: any
 * content reads as a node ID or none, and a choice made is remembered whatever was there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CollectorChoiceStore } from './collectorChoice.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mvchoice-prop-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const content = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ collectorNode: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 0 }), { maxKeys: 3 })) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
);
const profile = fc.oneof(fc.constantFrom('lab', 'toString', '__proto__', 'constructor', ''), fc.string({ maxLength: 8 }));

describe('history.json (properties)', () => {
  it('reads any content as a node ID or none, and remembers a choice made over it', () => {
    fc.assert(
      fc.property(content, profile, fc.integer({ min: 1, max: 65535 }), (text, name, id) => {
        const file = join(dir, 'history.json');
        writeFileSync(file, text);
        const store = new CollectorChoiceStore(file);
        const before = store.get(name);
        expect(before === undefined || Number.isInteger(before)).toBe(true);
        store.set(name, id);
        expect(store.get(name)).toBe(id);
        expect(new CollectorChoiceStore(file).get(name)).toBe(id);
      }),
      { numRuns: 150 },
    );
  });

  it.each(['null', '5', '"x"', '[]', '{"collectorNode": null}', '{"collectorNode": []}', '{"collectorNode": "x"}'])('regression: over %s a choice is remembered', (text) => {
    const file = join(dir, 'history.json');
    writeFileSync(file, text);
    const store = new CollectorChoiceStore(file);
    expect(store.get('lab')).toBeUndefined();
    store.set('lab', 3);
    expect(new CollectorChoiceStore(file).get('lab')).toBe(3);
  });
});
