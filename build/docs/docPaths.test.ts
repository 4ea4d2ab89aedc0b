import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The documents promise that every file they name exists ("if you move a file, fix this
 * page"); a refactor that moves a file without fixing the page fails here instead of
 * leaving a newcomer to follow a path that is gone.
 */
const ROOT = join(__dirname, '..', '..');
const TOP_DIRS = ['agent', 'electron', 'renderer', 'shared', 'e2e', 'build', 'docs'];

/** Backticked repository paths: `agent/x/y.ts`, `shared/protocol/` (not `#/migrator/...`). */
export function namedPaths(markdown: string): string[] {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/`([A-Za-z0-9_./-]+)`/g)) {
    const p = m[1]!;
    if (!TOP_DIRS.some((d) => p.startsWith(`${d}/`))) continue;
    if (p.includes('*')) continue;
    out.add(p.replace(/\/$/, ''));
  }
  return [...out];
}

describe('paths named in docs/', () => {
  const docs = [
    'README.md',
    'agent/jobs/README.md',
    'build/systemd/README.md',
    ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  ];
  for (const doc of docs) {
    it(`${doc} names only files that exist`, () => {
      const missing = namedPaths(readFileSync(join(ROOT, doc), 'utf8')).filter((p) => !existsSync(join(ROOT, p)));
      expect(missing, `${doc} names files that do not exist; fix the page`).toEqual([]);
    });
  }

  it('finds backticked paths and leaves other code spans alone', () => {
    expect(namedPaths('see `agent/main.ts`, `shared/protocol/` and `#/migrator/1/2`, `npm test`')).toEqual(['agent/main.ts', 'shared/protocol']);
  });
});
