/**
 * The store rule of `npm run lint` (no-restricted-syntax in eslint.config.mjs): outside
 * renderer/store/ the cluster store changes only through clusterActions. Run through ESLint's
 * API with the project's own config on small files placed (in name only) where they would sit.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

// Loading the config (typescript-eslint and TypeScript itself) is the slow part: once, here, with room for a busy machine.
beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  await eslint.lintText('', { filePath: `${root}/renderer/zzWarmUp.ts` });
}, 60_000);

async function storeProblems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const violation = [
  "import { clusterActions, useCluster } from '../../store/clusterStore.js';",
  "export const pause = () => useCluster.setState({ mode: 'paused' });",
  'export const handOut = useCluster.setState;',
  'export const ok = [clusterActions.pause, useCluster.getState];',
].join('\n');

describe('store rule', () => {
  it('reports useCluster.setState in a component, a module or a test outside renderer/store/', async () => {
    const refused = /^Change the cluster store through clusterActions/;
    for (const path of ['renderer/routes/main/zzViolation.tsx', 'renderer/history/zzViolation.ts', 'renderer/routes/main/zzViolation.test.tsx']) {
      expect(await storeProblems(path, violation), path).toEqual([expect.stringMatching(refused), expect.stringMatching(refused)]);
    }
  });

  it('lets the store itself call it', async () => {
    expect(await storeProblems('renderer/store/zzAllowed.ts', violation.replace('../../store/', './'))).toEqual([]);
  });
});
