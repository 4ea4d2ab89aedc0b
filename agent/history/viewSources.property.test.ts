/**
 * Property test of the rows a GUI pushes (history.observe) as the collector's node takes
 * them: whatever a local client sends, what is kept can be recorded, and every well-formed
 * row is kept.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { observedSource } from './viewSources.js';
import { mergeViews } from './mergeViews.js';
import { toHistorySample } from '../collector/collector.js';
import { encodeSamples, SampleCodecState } from '../collector/store/records.js';
import type { NodeView } from '../../shared/domain/node.js';

const AT = 1_700_000_000_000;
const figure = fc.double({ min: 0, max: 1e9, noNaN: true });
const goodRow: fc.Arbitrary<NodeView> = fc.record({
  id: fc.integer({ min: 0, max: 65535 }),
  host: fc.string({ maxLength: 10 }),
  status: fc.constantFrom('up' as const, 'down' as const, 'connecting' as const),
  sample: fc.record({
    t: fc.integer({ min: 0, max: 2 ** 45 }), hostname: fc.string({ maxLength: 5 }), cpus: fc.integer({ min: 1, max: 256 }), demand: figure, load: figure,
    util: fc.double({ min: 0, max: 100, noNaN: true }), speed: figure, procCount: fc.nat(),
    mem: fc.record({ totalKb: figure, freeKb: figure, availableKb: figure }),
  }),
});
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(NaN, Infinity, -1, 1e300, 1.5, undefined));
/** A good row with one field, at any depth, replaced by anything. */
const spoiltRow = fc
  .tuple(goodRow, fc.constantFrom('id', 'host', 'status', 'sample', 'sample.load', 'sample.cpus', 'sample.speed', 'sample.util', 'sample.mem', 'sample.mem.totalKb', 'sample.mem.freeKb', 'sample.mem.availableKb'), anyValue)
  .map(([row, path, v]) => {
    const copy = structuredClone(row) as unknown as Record<string, unknown>;
    const keys = path.split('.');
    let at = copy;
    for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
    at[keys[keys.length - 1]!] = v;
    return copy as unknown as NodeView;
  });
/** Rows, each marked whether it is well-formed (a spoilt one may still happen to be). */
const rows = fc.array(
  fc.oneof(goodRow.map((row) => ({ row, good: true })), spoiltRow.map((row) => ({ row, good: false })), anyValue.map((row) => ({ row, good: false }))),
  { maxLength: 8 },
);

describe('rows a GUI pushes (properties)', () => {
  it('what is kept can be recorded, and every well-formed row is kept', () => {
    fc.assert(
      fc.property(rows, (marked) => {
        const src = observedSource(marked.map((m) => m.row) as NodeView[], AT);
        // As the collector records them, one second after another.
        const codec = new SampleCodecState();
        const merged = mergeViews([src], AT);
        expect(() => encodeSamples({ t: AT, nodes: merged.map(toHistorySample) }, true, codec)).not.toThrow();
        for (const n of src.nodes) expect(Number.isSafeInteger(n.id) && typeof n.host === 'string').toBe(true);
        for (const m of marked) if (m.good) expect(src.nodes.some((n) => n.id === (m.row as NodeView).id)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['a null row', null],
    ['a NaN load', { id: 2, host: 'b', status: 'up', sample: { t: 1, hostname: 'b', cpus: 1, demand: 0, load: NaN, util: 0, speed: 1, procCount: 0, mem: { totalKb: 1, freeKb: 1, availableKb: 1 } } }],
    ['no memory figures', { id: 2, host: 'b', status: 'up', sample: { t: 1, hostname: 'b', cpus: 1, demand: 0, load: 1, util: 0, speed: 1, procCount: 0 } }],
    ['an ID of -1', { id: -1, host: 'b', status: 'down' }],
  ])('regression: %s is left out, the other rows kept', (_, bad) => {
    const ok: NodeView = { id: 1, host: 'a', status: 'down' };
    const src = observedSource([ok, bad as NodeView], AT);
    expect(src.nodes).toEqual([{ id: 1, host: 'a', status: 'down' }]);
  });
});
