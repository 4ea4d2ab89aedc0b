/**
 * The project's layers, checked on every import (as VS Code checks its own with
 * code-import-patterns): which top-level folder may import which. Relative imports are
 * resolved against the importing file; package imports are checked by name.
 *
 *   shared/    imports nothing outside shared/ (it is the contract every process shares)
 *   agent/     never imports electron/ or renderer/ (it runs alone on every node)
 *   renderer/  never imports agent/ or electron/ (it runs in the browser or the window)
 *   electron/  never imports agent/ or renderer/ (it talks to agents over the protocol)
 *   The `electron` package only in the thin Electron entry files; ipcRenderer only in the preload.
 *   agent/ code (not its tests) imports only Node's built-in modules: the agent ships as one
 *   bundled file to nodes that have no node_modules.
 */
import { isBuiltin } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

export const LAYERS = {
  shared: ['shared'],
  agent: ['agent', 'shared'],
  renderer: ['renderer', 'shared'],
  electron: ['electron', 'shared'],
};

/** Files that may import the `electron` package (Electron-only code stays thin: the rest of the
 * app gets Electron handed in, as electron/app/electronApp.ts does, so tests can fake it). */
export const ELECTRON_ENTRIES = ['electron/main.ts', 'electron/preload.ts'];
export const IPC_RENDERER_FILES = ['electron/preload.ts'];

/** The top-level folder of a path inside the repository, or undefined outside the four layers. */
export function layerOf(root, file) {
  const top = relative(root, file).split(sep)[0];
  return top in LAYERS ? top : undefined;
}

/** Why importing `source` from `file` breaks a layer, or undefined when it is allowed. */
export function layerViolation(root, file, source, typeOnly = false) {
  const from = layerOf(root, file);
  const rel = relative(root, file).split(sep).join('/');
  if (source === 'electron' || source.startsWith('electron/')) {
    // Types vanish at build time: Electron's types may be named anywhere in electron/.
    if (typeOnly && from === 'electron') return undefined;
    return ELECTRON_ENTRIES.includes(rel) ? undefined : `only ${ELECTRON_ENTRIES.join(', ')} may import the electron package: put the logic in a module that does not, and keep the Electron part thin`;
  }
  if (from === 'agent' && !typeOnly && !source.startsWith('.') && !isBuiltin(source) && !/\.test\.tsx?$/.test(rel)) {
    return `agent/ imports only Node's built-in modules, not "${source}": the agent runs as one bundled file on nodes without node_modules`;
  }
  if (!from || !source.startsWith('.')) return undefined;
  const target = layerOf(root, resolve(dirname(file), source));
  if (!target || LAYERS[from].includes(target)) return undefined;
  return `${from}/ may not import ${target}/ (${from}/ imports only ${LAYERS[from].map((l) => `${l}/`).join(' and ')}): move what both need into shared/, or reach it over the protocol`;
}

const rule = {
  meta: { type: 'problem', docs: { description: 'keep the layers apart' }, schema: [] },
  create(context) {
    const root = context.cwd;
    const rel = relative(root, context.filename).split(sep).join('/');
    const check = (node, source) => {
      const typeOnly = node.importKind === 'type' || node.exportKind === 'type';
      const why = typeof source === 'string' && layerViolation(root, context.filename, source, typeOnly);
      if (why) context.report({ node, message: why });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal' && typeof arg.value === 'string') check(node, arg.value);
      },
      Identifier: (node) => {
        if (node.name === 'ipcRenderer' && !IPC_RENDERER_FILES.includes(rel)) {
          context.report({ node, message: 'no raw ipcRenderer outside electron/preload.ts: windows use the bridge (window.mosixview)' });
        }
      },
    };
  },
};

export default { rules: { layers: rule } };
