// Finds the Electron binary the npm package would run, WITHOUT triggering its download
// (require('electron') tries to fetch a missing binary, which fails on closed networks).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

export function electronBinary() {
  if (process.env.MOSIXVIEW_HEADLESS) return undefined;
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const pathFile = join(pkgDir, 'path.txt');
    if (!override && !existsSync(pathFile)) return undefined;
    const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
    const bin = override ? join(override, rel) : join(pkgDir, 'dist', rel);
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const bin = electronBinary();
  if (bin) console.log(bin);
  process.exit(bin ? 0 : 1);
}
