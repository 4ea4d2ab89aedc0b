// `npm start`: the Electron app where its binary is available; otherwise one line saying so
// and the headless mode (the same UI in a browser, on 127.0.0.1 with an access token).
import { spawn } from 'node:child_process';
import { electronBinary } from './electronBinary.mjs';

const args = process.argv.slice(2);
const binary = electronBinary();
// Chromium refuses to run as root with its process sandbox; the renderer's own sandbox
// (webPreferences.sandbox) stays on.
const rootArgs = binary && process.getuid?.() === 0 ? ['--no-sandbox'] : [];
if (rootArgs.length) console.log('Running as root: Electron needs --no-sandbox (Chromium process sandbox off).');
const [cmd, cmdArgs] = binary
  ? [binary, [...rootArgs, 'dist/electron/main.cjs', ...args]]
  : [process.execPath, ['dist/electron/headless.cjs', ...args]];
if (!binary) console.log('Electron binary not available (npm cannot download it here): running the headless mode in the browser instead.');
const child = spawn(cmd, cmdArgs, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 0));
