/**
 * The headless mode: the same API as the Electron app, served to a browser. Prints a login
 * URL (its code signs in one browser, once) and opens the UI in Chromium's app mode when
 * Chromium exists, signed in without any secret on its command line (openBrowser.ts).
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseStartOptions, startInfo } from '../core/cliOptions.js';
import { createClusterService } from '../core/createService.js';
import { startHeadlessServer } from './headlessServer.js';
import { openInBrowser } from './openBrowser.js';
import { LOGIN_CODE_TTL_MS } from './headlessAuth.js';
import { log } from '../core/log.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseStartOptions(process.argv.slice(2));
  } catch (e) {
    log.error(`start-up: ${(e as Error).message}`);
    process.stderr.write(`mosixview: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const info = startInfo(options);
  if (info !== undefined) {
    process.stdout.write(info + '\n');
    return;
  }
  const service = createClusterService(options.cluster);
  const server = await startHeadlessServer(service, { rendererDir: join(__dirname, '../renderer'), port: options.listenPort });
  const say = (line: string) => process.stdout.write(line + '\n');
  say(`Mosixview (${options.cluster.name}, headless mode) at ${server.loginUrl()}`);
  say(`(the link signs in one browser, once, within ${LOGIN_CODE_TTL_MS / 60_000} minutes; press Enter here for a new one)`);
  // Only now the nodes: their SSH handshakes keep this thread busy for a second or more, and the
  // browser can load the page meanwhile instead of after them (its rows show the nodes connecting).
  service.start();
  if (options.open) openInBrowser(server, say);
  if (process.stdin.isTTY) {
    createInterface({ input: process.stdin }).on('line', () => say(`A new link for one more browser: ${server.loginUrl()}`));
  }
  const stop = () => {
    service.stop();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// A port taken or a renderer missing: said on stderr and kept in the log, then a non-zero exit.
main().catch((e: Error) => {
  log.error(`start-up: ${e.stack ?? e.message}`);
  process.stderr.write(`mosixview: ${e.message}\n`);
  process.exit(1);
});
