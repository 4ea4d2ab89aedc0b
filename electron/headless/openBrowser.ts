/**
 * Opens the headless UI in Chromium's app mode, signed in, without a secret on any command
 * line (every local user can read /proc/PID/cmdline). The browser gets the path of a page
 * in a fresh 0700 directory, mode 0600, that forwards to a login URL; the login code in it
 * works once, within LAUNCH_CODE_TTL_MS, and the page is removed as soon as it was used.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HeadlessServer } from './headlessServer.js';

/** Long enough for a cold Chromium start on a slow machine; the page is then useless. */
export const LAUNCH_CODE_TTL_MS = 60_000;
/** The browser to run instead of Chromium (a Chromium-like program: it gets --app=URL). */
export const BROWSER_ENV = 'MOSIXVIEW_BROWSER';

function findChromium(env: NodeJS.ProcessEnv): string | undefined {
  if (env[BROWSER_ENV]) return env[BROWSER_ENV];
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

const htmlAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Writes the forwarding page; returns its path and how to remove it (idempotent). */
export function writeLoginPage(loginUrl: string): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mosixview-open-')); // mode 0700
  const file = join(dir, 'open.html');
  writeFileSync(
    file,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
      `<meta http-equiv="refresh" content="0;url=${htmlAttr(loginUrl)}"><title>Mosixview</title>Opening Mosixview…\n`,
    { mode: 0o600, flag: 'wx' },
  );
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openInBrowser(server: HeadlessServer, say: (line: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  const browser = findChromium(env);
  if (!browser) {
    say('Chromium is not installed: open the URL above in a browser.');
    return;
  }
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) {
    say('No display ($DISPLAY unset): open the URL above in a browser.');
    return;
  }
  let page: { file: string; remove: () => void } | undefined;
  const url = server.loginUrl(LAUNCH_CODE_TTL_MS, () => page?.remove());
  page = writeLoginPage(url);
  const done = page.remove;
  setTimeout(done, LAUNCH_CODE_TTL_MS).unref();
  const args = [
    `--app=${pathToFileURL(page.file).href}`,
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'mosixview-ui-'))}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-sync',
    '--disable-component-update',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const child = spawn(browser, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => {
    done();
    say('Chromium did not start: open the URL above in a browser.');
  });
  child.unref();
}
