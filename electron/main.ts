/** Electron entry: thin on purpose; the wiring lives in app/electronApp.ts and is unit-tested. */
import * as electron from 'electron';
import { join } from 'node:path';
import { parseStartOptions, startInfo } from './core/cliOptions.js';
import { mosixviewArgs } from './core/electronArgv.js';
import { createClusterService } from './core/createService.js';
import { registerScheme, startElectronApp } from './app/electronApp.js';
import { log } from './core/log.js';
import { electronSaveDialog } from './app/saveDialog.js';

const options = (() => {
  try {
    return parseStartOptions(mosixviewArgs(process.argv, electron.app.isPackaged));
  } catch (e) {
    log.error(`start-up: ${(e as Error).message}`);
    process.stderr.write(`mosixview: ${(e as Error).message}\n`);
    process.exit(2);
  }
})();
const info = startInfo(options);
if (info !== undefined) {
  process.stdout.write(info + '\n');
  process.exit(0);
}

registerScheme(electron);
const service = createClusterService(options.cluster, { saveDialog: electronSaveDialog(electron) });
startElectronApp(electron, service, {
  rendererDir: join(__dirname, '../renderer'),
  preload: join(__dirname, 'preload.cjs'),
});
