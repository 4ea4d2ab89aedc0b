/**
 * Property test of <stateDir>/jobs.json: any content gives settings of the right types (a
 * setting of the wrong type is ignored and named in the log), never an exception that would
 * stop the agent's jobs feature.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadJobsConfig } from './config.js';
import { log } from '../log/log.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mvjobs-prop-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEYS = ['criu', 'jobsDir', 'sharedRoots', 'localRoots', 'blockGuests', 'criuTimeoutMs'];
const content = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })), { maxKeys: 4 }).map((v) => JSON.stringify(v)),
);
const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

describe('jobs.json (properties)', () => {
  it('any content gives settings of the right types; what is ignored is named', () => {
    let said = '';
    try {
      fc.assert(
        fc.property(content, (text) => {
          writeFileSync(join(dir, 'jobs.json'), text);
          said = '';
          log.setTarget({ tag: 'mosixview-agent', journal: false, write: (s) => void (said += s), now: Date.now });
          const c = loadJobsConfig(dir, {});
          expect(typeof c.jobsDir === 'string' && c.jobsDir.length > 0).toBe(true);
          expect(isStrings(c.sharedRoots) && isStrings(c.localRoots)).toBe(true);
          expect(typeof c.blockGuests).toBe('boolean');
          expect(Number.isFinite(c.criuTimeoutMs) && c.criuTimeoutMs > 0).toBe(true);
          expect(c.criu === undefined || (typeof c.criu === 'string' && c.criu.length > 0)).toBe(true);
          // A setting that was given but not taken is named on stderr.
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return;
          }
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
          for (const [k, v] of Object.entries(parsed)) {
            const taken = (c as unknown as Record<string, unknown>)[k];
            if (JSON.stringify(taken) !== JSON.stringify(v)) expect(said, `${k}: ${JSON.stringify(v)}`).toContain(`"${k}"`);
          }
        }),
        { numRuns: 300 },
      );
    } finally {
      log.configure('mosixview-agent');
    }
  });

  it.each(['null', '"x"', '{"sharedRoots": "/home"}', '{"criuTimeoutMs": "fast"}', '{"jobsDir": 5}'])('regression: %s is survived with defaults of the right types', (text) => {
    writeFileSync(join(dir, 'jobs.json'), text);
    log.setTarget({ tag: 'mosixview-agent', journal: false, write: () => undefined, now: Date.now });
    try {
      const c = loadJobsConfig(dir, {});
      expect(isStrings(c.sharedRoots) && typeof c.jobsDir === 'string' && typeof c.criuTimeoutMs === 'number').toBe(true);
    } finally {
      log.configure('mosixview-agent');
    }
  });
});
