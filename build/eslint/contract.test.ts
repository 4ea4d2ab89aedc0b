/**
 * The rules of build/eslint/contract.ts on the repository as it is, and on a deliberate
 * violation of each: a shared/ module only the agent uses, and a fake only tests import.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importersOf, layerFiles, misnamedTestHelpers, oneSidedShared } from './contract.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the repository', () => {
  const importers = importersOf(root);
  const files = layerFiles(root);

  it('keeps in shared/ only modules that at least two of agent/, electron/ and renderer/ use', () => {
    expect(oneSidedShared(importers, files)).toEqual([]);
  });

  it('names every module only tests import *.test-util.ts', () => {
    expect(misnamedTestHelpers(importers, files)).toEqual([]);
  });
});

describe('a deliberate violation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mosixview-contract-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  put('shared/protocol/wire.ts', "export type Wire = { a: number };\n");
  put('shared/onlyAgent.ts', "import type { Wire } from './protocol/wire.js';\nexport const f = (w: Wire) => w.a;\n");
  put('shared/onlyAgent.test.ts', "import { f } from './onlyAgent.js';\nf({ a: 1 });\n");
  put('agent/use.ts', "import { f } from '../shared/onlyAgent.js';\nimport type { Wire } from '../shared/protocol/wire.js';\nexport const g = (w: Wire) => f(w);\n");
  put('renderer/use.tsx', "import type { Wire } from '../shared/protocol/wire.js';\nexport const h = (w: Wire) => w;\n");
  put('electron/fakeThing.ts', 'export const fake = 1;\n');
  put('electron/thing.test.ts', "import { fake } from './fakeThing.js';\nimport { named } from './named.test-util.js';\nexport const x = [fake, named];\n");
  put('electron/named.test-util.ts', 'export const named = 2;\n');
  const importers = importersOf(dir);
  const files = layerFiles(dir);

  it('reports a shared/ module only the agent uses, and not the type both sides use', () => {
    expect(oneSidedShared(importers, files)).toEqual([{ file: 'shared/onlyAgent.ts', sides: ['agent'] }]);
  });

  it('reports a fake only tests import that is not named *.test-util.ts', () => {
    expect(misnamedTestHelpers(importers, files)).toEqual(['electron/fakeThing.ts']);
  });
});
