/**
 * Starts Mosixview on a profile for a test: the headless mode in Debian's Chromium, or,
 * with MOSIXVIEW_E2E_ELECTRON=1 where the Electron binary exists, the real Electron app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { electronBinary } from '../../build/electronBinary.mjs';
import { _electron, type Browser, type Page } from '@playwright/test';

export interface RunningApp {
  page: Page;
  /** Everything the app printed, for assertions and failure messages. */
  output(): string;
  /** Opens another window route (e.g. "node/3") as the app would. */
  openRoute(route: string): Promise<Page>;
  stop(): Promise<void>;
}

export function useElectron(): boolean {
  return process.env.MOSIXVIEW_E2E_ELECTRON === '1';
}

function electronPath(): string {
  const bin = electronBinary();
  if (!bin) throw new Error('MOSIXVIEW_E2E_ELECTRON=1 but the Electron binary is not installed (node_modules/electron/dist)');
  return bin;
}

async function launchElectron(args: string[]): Promise<RunningApp> {
  const sandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await _electron.launch({ executablePath: electronPath(), args: [...sandbox, 'dist/electron/main.cjs', ...args] });
  let out = '';
  app.process().stdout?.on('data', (d: Buffer) => (out += d.toString()));
  app.process().stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const page = await app.firstWindow();
  return {
    page,
    output: () => out,
    openRoute: async (route) => {
      const [popup] = await Promise.all([app.waitForEvent('window'), page.evaluate((r) => window.open(`${location.pathname}${location.search}#/${r}`, '_blank'), route)]);
      return popup;
    },
    stop: () => app.close(),
  };
}

/**
 * Spawns the headless server; resolves with its login URL (good for one browser context) once it printed it.
 * `appDir`: the checkout whose dist/ runs (a benchmark's A/B of two builds); this one's by default.
 */
export function startHeadless(args: string[], env: NodeJS.ProcessEnv = {}, appDir = '.'): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [join(appDir, 'dist/electron/headless.cjs'), '--no-open', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      // The login URL: its code signs in one browser context, once (openRoute's windows share its cookie).
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+#\/)/.exec(out);
      if (m) resolve({ url: m[1]!, child, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the headless server exited (${code}) before printing its URL:\n${out}`)));
  });
}

export async function launchApp(browser: Browser, args: string[]): Promise<RunningApp> {
  if (useElectron()) return launchElectron(args);
  const server = await startHeadless(args);
  const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
  const page = await context.newPage();
  await page.goto(server.url);
  return {
    page,
    output: server.output,
    openRoute: async (route) => {
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        page.evaluate((r) => window.open(`${location.pathname}${location.search}#/${r}`, '_blank'), route),
      ]);
      await popup.waitForLoadState();
      return popup;
    },
    stop: async () => {
      await context.close();
      if (server.child.exitCode === null) {
        const exited = new Promise((r) => server.child.once('exit', r));
        server.child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        server.child.kill('SIGKILL');
      }
    },
  };
}
