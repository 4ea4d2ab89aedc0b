/**
 * Property test of the map a GUI or setpe installs on a node (cluster.configure): any
 * parameters give a stored membership that loads back as it was saved, or an error that
 * says what is wrong (MapError for the map), never a TypeError.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MapError } from '../../shared/hpcMap.js';
import { loadMembership, saveMembership } from './membership.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mvmember-prop-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAP = '1 10.9.0.1 3\n4 node4.lab 1\n';
const mapText = fc.oneof(fc.constantFrom(MAP, '1 10.9.0.1 1\n1 10.9.0.2 1\n', '', '# none\n'), fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 1 }));
const nodeId = fc.oneof(fc.constantFrom(undefined, 1, 2, 3, 4, 5, 0, -1, 1.5, '2'), fc.jsonValue({ maxDepth: 0 }));

describe('saveMembership (properties)', () => {
  it('stores what loads back as saved, or says what is wrong', () => {
    fc.assert(
      fc.property(mapText, nodeId, (text, id) => {
        let saved;
        try {
          saved = saveMembership(dir, text as string, id as number | undefined, 'not-in-any-map');
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(Error);
          expect(e instanceof TypeError, String(e)).toBe(false);
          expect(e instanceof MapError || /is not in the map|must be/.test((e as Error).message), (e as Error).message).toBe(true);
          return;
        }
        expect(loadMembership(dir, 'not-in-any-map')).toEqual(saved);
      }),
      { numRuns: 300 },
    );
  });

  it.each([5, null, ['1 10.9.0.1 1']])('regression: a map of %j is refused with a message', (text) => {
    expect(() => saveMembership(dir, text as never, 1, 'h')).toThrow(/the map must be the text of a map file/);
  });
});
