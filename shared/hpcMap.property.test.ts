/**
 * Property tests of the map file parser: whatever text an admin (or a peer's setpe -w)
 * hands it, it returns a consistent cluster or a MapError naming the file and line.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MapError, formatHpcMap, parseHpcMap, type MapNode } from './hpcMap.js';

const FILE = '/etc/hpc.map';

const idToken = fc.oneof(
  fc.integer({ min: 1, max: 65535 }).map(String),
  fc.integer({ min: -5, max: 70000 }).map(String),
  fc.constantFrom('0', '00012', '1.5', 'x', '1e3', '99999999999999999999999', ''),
);
const octet = fc.integer({ min: 0, max: 255 });
const hostToken = fc.oneof(
  fc.ipV4(),
  fc.domain(),
  fc.tuple(octet, octet, octet, fc.integer({ min: 0, max: 999 })).map((b) => b.join('.')),
  fc.constantFrom('bad_host!', '-node', 'node-', '1.2.3', '1.2.3.4.5', '..', 'a..b', 'ALIAS'),
  fc.string({ maxLength: 12 }),
);
const countToken = fc.oneof(
  fc.constant('1'),
  fc.integer({ min: 0, max: 300 }).map(String),
  fc.constantFrom('ALIAS', 'alias', 'Alias', '-1', '1x'),
  fc.string({ maxLength: 6 }),
);
const space = fc.constantFrom(' ', '\t', '  ', ' \t ', '\u00a0');
const mapLine = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(idToken, space, hostToken, space, countToken).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.array(fc.oneof(idToken, hostToken, countToken), { maxLength: 5 }).map((t) => t.join(' ')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((c) => `# ${c}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);
const eol = fc.constantFrom('\n', '\r\n');
const noiseText = fc
  .tuple(fc.array(fc.tuple(mapLine, eol), { maxLength: 40 }), fc.boolean())
  .map(([lines, finalNewline]) => {
    const text = lines.map(([l, e]) => l + e).join('');
    return finalNewline ? text : text.replace(/\r?\n$/, '');
  });

/** Valid clusters, built directly: distinct IDs, distinct addresses, some ranges and aliases. */
const cluster = fc
  .uniqueArray(
    fc.record({
      id: fc.integer({ min: 1, max: 65535 }),
      host: fc.oneof(fc.ipV4(), fc.domain().filter((d) => !/^[\d.]+$/.test(d))),
      aliases: fc.array(fc.ipV4(), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 30, selector: (n) => n.id },
  )
  .filter((nodes) => {
    const all = nodes.flatMap((n) => [n.host, ...n.aliases]);
    return new Set(all).size === all.length;
  })
  .map((nodes) => nodes.map((n) => ({ ...n, line: 1 })));

/** A map as an admin writes it (free spacing, comments, blank lines), some lines possibly spoilt. */
const mapText = fc.oneof(
  noiseText,
  fc
    .tuple(
      cluster,
      fc.array(fc.tuple(space, space, fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), eol), { minLength: 1, maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(), mapLine), { maxLength: 2 }),
    )
    .map(([nodes, styles, spoilers]) => {
      const lines = formatHpcMap(nodes).trimEnd().split('\n').map((l, i) => {
        const [a, b, comment] = styles[i % styles.length]!;
        return l.replace('\t', a).replace('\t', b) + (comment === undefined ? '' : ` #${comment}`);
      });
      for (const [at, line] of spoilers) lines.splice(at % (lines.length + 1), 0, line);
      return lines.map((l, i) => l + styles[i % styles.length]![3]).join('');
    }),
);

/** Parses, and checks any failure is a MapError that says where: file, line and a problem. */
function parseOrMapError(text: string): MapNode[] | MapError {
  try {
    return parseHpcMap(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(MapError);
    const err = e as MapError;
    expect(err.file).toBe(FILE);
    expect(Number.isInteger(err.line) && err.line >= 1 && err.line <= text.split(/\r?\n/).length).toBe(true);
    expect(err.problem.length).toBeGreaterThan(0);
    expect(err.message).toBe(`${FILE}:${err.line}: ${err.problem}`);
    return err;
  }
}

const withoutLines = (nodes: readonly MapNode[]) => nodes.map(({ line: _line, ...n }) => n);

function checkConsistent(nodes: readonly MapNode[], lineCount: number): void {
  expect(nodes.length).toBeGreaterThan(0);
  const ids = nodes.map((n) => n.id);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(ids.length);
  const addresses = nodes.flatMap((n) => [n.host, ...n.aliases]);
  expect(new Set(addresses).size).toBe(addresses.length);
  for (const n of nodes) {
    expect(Number.isInteger(n.id) && n.id >= 1 && n.id <= 65535).toBe(true);
    expect(n.line >= 1 && n.line <= lineCount).toBe(true);
  }
}

describe('parseHpcMap (properties)', () => {
  it('returns a consistent cluster or a MapError naming file and line, for any text', () => {
    fc.assert(
      fc.property(mapText, (text) => {
        const r = parseOrMapError(text);
        if (r instanceof MapError) return;
        checkConsistent(r, text.split(/\r?\n/).length);
        // What it read, written back, reads the same.
        expect(withoutLines(parseHpcMap(formatHpcMap(r)))).toEqual(withoutLines(r));
      }),
      { numRuns: 1000 },
    );
  });

  it('takes any byte soup without anything but a MapError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        parseOrMapError(text);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any valid cluster through formatHpcMap', () => {
    fc.assert(
      fc.property(cluster, (nodes) => {
        const back = parseHpcMap(formatHpcMap(nodes), FILE);
        const sorted = [...nodes].sort((a, b) => a.id - b.id);
        expect(withoutLines(back)).toEqual(withoutLines(sorted));
      }),
      { numRuns: 500 },
    );
  });

  it('reads large maps: every node ID, 255 to a line, and 20,000 single lines', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 250 }), fc.integer({ min: 0, max: 20_000 }), (width, singles) => {
        const lines: string[] = [];
        let id = 1;
        for (let net = 0; id + width - 1 <= 40_000; net++, id += width) lines.push(`${id} 10.${net >> 8}.${net & 255}.1 ${width}`);
        for (let k = 0; k < singles && id <= 65535; k++, id++) lines.push(`${id} n${id}.example.org 1`);
        const nodes = parseHpcMap(lines.join('\n'), FILE);
        expect(nodes).toHaveLength(id - 1);
      }),
      { numRuns: 3 },
    );
  });
});
