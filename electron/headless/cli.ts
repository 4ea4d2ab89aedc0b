/**
 * The headless mode: the same API as the Electron app, served to a browser. Prints the
 * URL (with its access token) and opens it in Chromium's app mode when Chromium exists.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStartOptions, USAGE } from '../core/cliOptions.js';
import { createClusterService } from '../core/createService.js';
import { startHeadlessServer } from './headlessServer.js';

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

function openInChromium(url: string): void {
  const chromium = findChromium();
  if (!chromium) {
    process.stdout.write('Chromium is not installed: open the URL above in a browser.\n');
    return;
  }
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    process.stdout.write('No display ($DISPLAY unset): open the URL above in a browser.\n');
    return;
  }
  const args = [`--app=${url}`, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'mosixview-ui-'))}`, '--no-first-run', '--disable-background-networking', '--disable-sync', '--disable-component-update'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const child = spawn(chromium, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stdout.write('Chromium did not start: open the URL above in a browser.\n'));
  child.unref();
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseStartOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`mosixview: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const service = createClusterService(options.cluster);
  service.start();
  const server = await startHeadlessServer(service, { rendererDir: join(__dirname, '../renderer'), port: options.listenPort });
  process.stdout.write(`Mosixview (${options.cluster.name}, headless mode) at ${server.url}\n`);
  if (options.open) openInChromium(server.url);
  const stop = () => {
    service.stop();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
