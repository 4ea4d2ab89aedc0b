// Builds dist/: the agent (one CommonJS file, Node >= 18 built-ins only), the Electron main
// and preload, the headless server, and the renderer.
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { speedWorkerCode } from './speedWorkerCode.mjs';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __PKG_VERSION__: JSON.stringify(pkg.version) };
const common = { bundle: true, sourcemap: false, logLevel: 'warning', define, legalComments: 'none' };

await rm('dist', { recursive: true, force: true });
await mkdir('dist/renderer', { recursive: true });

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// The speed check's worker runs this string, not the whole agent (agent/speed/speedWorker.ts).
const agentDefine = { ...define, __SPEED_WORKER_CODE__: JSON.stringify(await speedWorkerCode()) };
await Promise.all([
  build({
    ...common,
    entryPoints: ['agent/main.ts'],
    outfile: 'dist/agent/mosixview-agent.cjs',
    define: agentDefine,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    external: nodeBuiltins,
    // Every cold start uploads this file to each node and parses it there, 16 nodes at once on a
    // few cores: whitespace and syntax shrink it by a quarter. Names are kept for the stacks in agent.log.
    minifyWhitespace: true,
    minifySyntax: true,
  }),
  build({
    ...common,
    entryPoints: { main: 'electron/main.ts', headless: 'electron/headless/cli.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: { preload: 'electron/preload.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['electron'],
  }),
  build({
    ...common,
    // boot.js opens the connection and sends a history window's first request while app.js loads (renderer/bridge/earlyStart.ts).
    entryPoints: { app: 'renderer/main.tsx', boot: 'renderer/boot.ts' },
    outdir: 'dist/renderer',
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    jsx: 'automatic',
    minify: true,
    define: { ...define, 'process.env.NODE_ENV': '"production"' },
  }),
]);
await cp('renderer/index.html', 'dist/renderer/index.html');
await cp('renderer/styles.css', 'dist/renderer/app.css');
await cp('build/icons/mosixview.svg', 'dist/renderer/icon.svg');
console.log('built dist/ (agent, electron main + preload, headless, renderer)');
