/**
 * The layer rule of `npm run lint` (build/eslint/layers.mjs), run through ESLint's API with the
 * project's own eslint.config.mjs on small files placed (in name only) where a violation would sit.
 * Each deliberate violation must be reported, and the allowed imports next to it must not be.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

// Loading the config (typescript-eslint and TypeScript itself) is the slow part: once, here, with room for a busy machine.
beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  await eslint.lintText('', { filePath: `${root}/shared/zzWarmUp.ts` });
}, 60_000);

/** The layer rule's messages for `code` as if it were the file `path` of the repository. */
async function layerProblems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'mosixview/layers').map((m) => m.message);
}

describe('layers rule', () => {
  it('reports the renderer importing the agent or electron/', async () => {
    const problems = await layerProblems(
      'renderer/zzViolation.ts',
      [
        "import { Sampler } from '../agent/sampler/sampler.js';",
        "import { startHeadlessServer } from '../electron/headless/headlessServer.js';",
        "import type { NodeSample } from '../shared/domain/node.js';",
        'export const x: unknown[] = [Sampler, startHeadlessServer, null as unknown as NodeSample];',
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^renderer\/ may not import agent\/ /),
      expect.stringMatching(/^renderer\/ may not import electron\/ /),
    ]);
  });

  it('reports shared/ importing anything outside shared/, and a dynamic import or re-export too', async () => {
    const problems = await layerProblems(
      'shared/protocol/zzViolation.ts',
      [
        "import { useEffect } from '../../renderer/components/usePoll.js';",
        "export { Sampler } from '../../agent/sampler/sampler.js';",
        "export const later = () => import('../../electron/main.js');",
        "import { RpcError } from './rpc.js';",
        'export const y = [useEffect, RpcError];',
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^shared\/ may not import renderer\/ /),
      expect.stringMatching(/^shared\/ may not import agent\/ /),
      expect.stringMatching(/^shared\/ may not import electron\/ /),
    ]);
  });

  it('reports the agent importing electron/, the renderer, the electron package or any package at all', async () => {
    const problems = await layerProblems(
      'agent/daemon/zzViolation.ts',
      [
        "import { ClusterService } from '../../electron/core/clusterService.js';",
        "import { App } from '../../renderer/App.js';",
        "import { app } from 'electron';",
        "import { Client } from 'ssh2';",
        "import { readFileSync } from 'node:fs';",
        "import { hostname } from 'os';",
        "import { RpcError } from '../../shared/protocol/rpc.js';",
        'export const z = [ClusterService, App, app, Client, readFileSync, hostname, RpcError];',
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^agent\/ may not import electron\/ /),
      expect.stringMatching(/^agent\/ may not import renderer\/ /),
      expect.stringMatching(/^only electron\/main\.ts, electron\/preload\.ts may import the electron package/),
      expect.stringMatching(/^agent\/ imports only Node's built-in modules, not "ssh2"/),
    ]);
  });

  it('reports raw ipcRenderer anywhere but the preload', async () => {
    const code = 'export const ipc = (globalThis as Record<string, unknown>).ipcRenderer;\n';
    expect(await layerProblems('renderer/zzViolation.ts', code)).toEqual([expect.stringMatching(/^no raw ipcRenderer outside electron\/preload\.ts/)]);
    expect(await layerProblems('electron/core/zzViolation.ts', code)).toEqual([expect.stringMatching(/^no raw ipcRenderer outside electron\/preload\.ts/)]);
    expect(await layerProblems('electron/preload.ts', code)).toEqual([]);
  });

  it('reports the electron package imported (or required) outside the entry files, but lets electron/ name its types', async () => {
    const code = "import { BrowserWindow } from 'electron';\nexport const w = BrowserWindow;\n";
    const onlyEntries = /^only electron\/main\.ts, electron\/preload\.ts may import the electron package/;
    expect(await layerProblems('electron/core/zzViolation.ts', code)).toEqual([expect.stringMatching(onlyEntries)]);
    expect(await layerProblems('electron/app/zzViolation.ts', code)).toEqual([expect.stringMatching(onlyEntries)]);
    expect(await layerProblems('renderer/zzViolation.ts', code)).toEqual([expect.stringMatching(onlyEntries)]);
    expect(await layerProblems('build/zzViolation.mjs', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([expect.stringMatching(onlyEntries)]);
    expect(await layerProblems('electron/core/zzViolation.ts', "export const e = require('electron');\n")).toEqual([
      expect.stringMatching(onlyEntries),
    ]);
    expect(await layerProblems('electron/main.ts', code)).toEqual([]);
    expect(await layerProblems('electron/core/zzViolation.ts', "import type { WebPreferences } from 'electron';\nexport type P = WebPreferences;\n")).toEqual([]);
  });

  it('lets each layer import itself and shared/, and electron/ reach shared/', async () => {
    const code = (self: string, up: string) =>
      `import { a } from './sibling.js';\nimport { RpcError } from '${up}shared/protocol/rpc.js';\nexport const ok = [a, RpcError, '${self}'];\n`;
    for (const layer of ['agent', 'renderer', 'electron']) {
      expect(await layerProblems(`${layer}/zzAllowed.ts`, code(layer, '../')), layer).toEqual([]);
    }
    expect(await layerProblems('shared/zzAllowed.ts', code('shared', './'))).toEqual([]);
    expect(await layerProblems('agent/zzAllowed.test.ts', "import { describe } from 'vitest';\nexport const d = describe;\n")).toEqual([]);
  });
});
