// `npm start`: the Electron app where its binary is available; otherwise one line saying so
// and the headless mode (the same UI in a browser, on 127.0.0.1 with an access token).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const path = require('electron'); // the npm package exports the binary's path, and throws without it
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = process.env.MOSIXVIEW_HEADLESS ? undefined : electronBinary();
const [cmd, cmdArgs] = binary
  ? [binary, ['dist/electron/main.cjs', ...args]]
  : [process.execPath, ['dist/electron/headless.cjs', ...args]];
if (!binary) console.log('Electron binary not available (npm cannot download it here): running the headless mode in the browser instead.');
const child = spawn(cmd, cmdArgs, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 0));
