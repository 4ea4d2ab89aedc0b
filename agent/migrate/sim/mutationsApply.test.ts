import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MUTATIONS } from '../../../e2e/reliability/mutations.js';

/**
 * `npm run reliability -- --only mutations` breaks each safeguard by replacing a piece of the
 * code; a refactor that moves that piece made the run stop (the hand-over moved to copyJob.ts).
 * Checked here, in `npm test`, so the evidence in docs/RELIABILITY.md cannot silently go stale.
 */
describe('the deliberately broken safeguards of docs/RELIABILITY.md', () => {
  for (const m of MUTATIONS) {
    it(`"${m.name}" still finds the code it breaks, once, in ${m.file}`, () => {
      const text = readFileSync(join(__dirname, '..', '..', '..', m.file), 'utf8');
      expect(text.split(m.from).length - 1, `update e2e/reliability/mutations.ts: ${m.file} no longer holds that code once`).toBe(1);
    });
  }
});
