// The speed check's worker thread as its own small CommonJS code, which build.mjs puts into the
// agent bundle as a string (agent/speed/speedWorker.ts runs it with `eval`): the agent stays one
// file, and each starting daemon's worker loads a few kB instead of the whole agent again.
import { build } from 'esbuild';
import { builtinModules } from 'node:module';

export async function speedWorkerCode() {
  const r = await build({
    entryPoints: ['agent/speed/speedWorkerMain.ts'],
    absWorkingDir: new URL('..', import.meta.url).pathname,
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
  });
  return r.outputFiles[0].text;
}
