/**
 * The Electron app's wiring, given the electron module: electron/main.ts passes the real
 * one, unit tests a recording stand-in, so each security rule is proven without the binary.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiService } from '../core/clusterTypes.js';
import { errorBody } from '../../shared/protocol/rpc.js';
import { secureWebPreferences } from '../security/webPreferences.js';
import { APP_ENTRY, APP_SCHEME, appFilePath, isAppUrl, isTrustedSender } from '../security/appOrigin.js';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeReply } from '../ipcChannels.js';
import { routeOfUrl, routes, WINDOW_SIZES, windowSizeOf } from '../../shared/windows.js';
import { log as guiLog, type MainLog } from '../core/log.js';

type ElectronModule = typeof import('electron');
export type ElectronMain = Pick<ElectronModule, 'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session'>;


const MIME: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml', png: 'image/png' };

export interface AppPaths {
  rendererDir: string;
  preload: string;
}

/** Must run before the app is ready: our scheme behaves like https (secure, standard). */
export function registerScheme(e: ElectronMain): void {
  e.protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
  ]);
}

/** What a refused sender sent, quoted and cut short: the log is for the admin, not a copy of the request. */
function quoted(v: unknown): string {
  const q = JSON.stringify(v) ?? String(v);
  return q.length > 200 ? `${q.slice(0, 200)}…` : q;
}

/** The one IPC handler; a sender that is not the app's top frame is refused, and the refusal logged (it means a page we did not load, or a subframe, tried the API). */
export function createInvokeHandler(service: Pick<ApiService, 'dispatch'>, log: MainLog = guiLog) {
  return async (event: { senderFrame: { url: string; parent?: unknown } | null }, channel: unknown, req: unknown): Promise<InvokeReply> => {
    if (!isTrustedSender(event.senderFrame)) {
      const frame = event.senderFrame ? `${event.senderFrame.parent ? 'a subframe at ' : ''}${quoted(event.senderFrame.url)}` : 'no frame';
      log.warn(`refused IPC ${quoted(channel)} from an untrusted sender (${frame})`);
      return { ok: false, error: { code: 'EPERM', message: `IPC from an untrusted sender (${event.senderFrame?.url ?? 'no frame'}) refused` } };
    }
    try {
      return { ok: true, value: await service.dispatch(channel, req) };
    } catch (e) {
      return { ok: false, error: errorBody(e) };
    }
  };
}

export function startElectronApp(e: ElectronMain, service: ApiService, paths: AppPaths, log: MainLog = guiLog): void {
  const prefs = secureWebPreferences(paths.preload);
  const windows = new Set<import('electron').BrowserWindow>();

  const hardenContents = (contents: import('electron').WebContents) => {
    contents.setWindowOpenHandler(({ url }) =>
      isAppUrl(url)
        ? { action: 'allow', overrideBrowserWindowOptions: { ...windowSizeOf(routeOfUrl(url)), webPreferences: prefs } }
        : { action: 'deny' },
    );
    contents.on('will-navigate', (ev, url) => {
      if (!isAppUrl(url)) ev.preventDefault();
    });
    contents.on('will-redirect', (ev, url) => {
      if (!isAppUrl(url)) ev.preventDefault();
    });
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
  };

  e.app.on('web-contents-created', (_ev, contents) => hardenContents(contents));
  e.app.on('browser-window-created', (_ev, win) => {
    windows.add(win);
    win.on('closed', () => windows.delete(win));
  });

  e.app.whenReady().then(() => {
    e.session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
    e.protocol.handle(APP_SCHEME, async (request) => {
      const rel = appFilePath(request.url);
      if (!rel) return new Response('not found', { status: 404 });
      try {
        const body = await readFile(join(paths.rendererDir, rel));
        const ext = rel.split('.').pop() ?? '';
        return new Response(body, {
          headers: { 'content-type': MIME[ext] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY },
        });
      } catch {
        return new Response('not found', { status: 404 });
      }
    });

    e.ipcMain.handle(INVOKE_CHANNEL, createInvokeHandler(service, log));
    service.subscribe((event, data) => {
      for (const w of windows) if (!w.isDestroyed() && isAppUrl(w.webContents.getURL())) w.webContents.send(EVENT_CHANNEL, event, data);
    });
    service.start();

    // The page names each window (document.title, see renderer/windowTitle.ts); this is the name until it loads.
    const main = new e.BrowserWindow({ ...WINDOW_SIZES.main, title: 'Mosixview', webPreferences: prefs });
    void main.loadURL(`${APP_ENTRY}#/${routes.main()}`);
  });

  e.app.on('window-all-closed', () => {
    service.stop();
    e.app.quit();
  });
}
