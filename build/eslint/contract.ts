/**
 * Two rules about where modules live that an import rule cannot see, because they are about who
 * imports a file rather than what it imports (checked by contract.test.ts in the unit suite):
 *
 *   shared/ is the contract: every module in it (tests aside) is used, directly or through other
 *   shared/ modules, by at least two of agent/, electron/ and renderer/. A module only one side
 *   uses belongs to that side (the agent's balancing core is in agent/balance/, not shared/).
 *   Test helpers are named *.test-util.ts(x): a module that only tests import says so in its name,
 *   so that nobody mistakes a fake for the real thing and the build never bundles one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const SIDES = ['agent', 'electron', 'renderer'];
const SCANNED = ['shared', ...SIDES];
/** Tools (benchmarks, the simulator's CLI) and end-to-end tests import too: what they use is no test helper. */
const ALSO_IMPORTING = ['e2e', 'build'];
/** The bundles' entry points (build/build.mjs): production code though nothing imports them (layers.test.ts names one in a string). */
const ENTRIES = ['agent/main.ts', 'electron/main.ts', 'electron/headless/cli.ts', 'electron/preload.ts', 'renderer/main.tsx'];
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm;

export const isTest = (f: string): boolean => /\.(test|spec)\.tsx?$/.test(f);
export const isTestUtil = (f: string): boolean => /\.test-util\.tsx?$/.test(f);

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) out.push(...sourceFiles(root, rel));
    else if (e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function resolveImport(root: string, from: string, spec: string): string | undefined {
  const base = resolve(root, dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(c)) return relative(root, c).split(sep).join('/');
  }
  return undefined;
}

export type Importers = Map<string, Set<string>>;

/** Who imports what among the layers' source files: file -> the files importing it. */
export function importersOf(root: string): Importers {
  const importers: Importers = new Map();
  for (const file of [...SCANNED, ...ALSO_IMPORTING].filter((d) => existsSync(join(root, d))).flatMap((d) => sourceFiles(root, d))) {
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(IMPORT)) {
      const target = resolveImport(root, file, (m[1] ?? m[2] ?? m[3])!);
      if (!target) continue;
      if (!importers.has(target)) importers.set(target, new Set());
      importers.get(target)!.add(file);
    }
  }
  return importers;
}

/** The sides that use `file`, directly or through shared/ modules that do (tests do not count). */
function sidesUsing(importers: Importers, file: string, seen = new Set<string>()): Set<string> {
  const sides = new Set<string>();
  if (seen.has(file)) return sides;
  seen.add(file);
  for (const by of importers.get(file) ?? []) {
    if (isTest(by) || isTestUtil(by)) continue;
    const top = by.split('/')[0]!;
    if (top === 'shared') for (const s of sidesUsing(importers, by, seen)) sides.add(s);
    else if (SIDES.includes(top)) sides.add(top);
  }
  return sides;
}

/**
 * A channel's validator is part of its declaration (one validator per channel, beside
 * its protocol map): it stays there even when only the side that serves the
 * channel runs it (the agent's requests are checked by the agent alone).
 */
const isChannelDeclaration = (f: string) => /^shared\/protocol\/[^/]+\.validate\.ts$/.test(f);

/** shared/ modules fewer than two sides use, with the sides that do. */
export function oneSidedShared(importers: Importers, files: readonly string[]): { file: string; sides: string[] }[] {
  return files
    .filter((f) => f.startsWith('shared/') && !isTest(f) && !isTestUtil(f) && !isChannelDeclaration(f))
    .map((f) => ({ file: f, sides: [...sidesUsing(importers, f)].sort() }))
    .filter((r) => r.sides.length < 2);
}

/** Modules only tests import that are not named *.test-util.ts(x). */
export function misnamedTestHelpers(importers: Importers, files: readonly string[]): string[] {
  return files.filter((f) => {
    const by = [...(importers.get(f) ?? [])];
    return !isTest(f) && !isTestUtil(f) && !ENTRIES.includes(f) && by.length > 0 && by.every((b) => isTest(b) || isTestUtil(b));
  });
}

export const layerFiles = (root: string): string[] => SCANNED.flatMap((d) => sourceFiles(root, d));
