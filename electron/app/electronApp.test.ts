/**
 * The Electron wiring, run against a recording stand-in for the electron module (the
 * binary is not needed): every security rule main.ts relies on is checked here, the app
 * protocol in appProtocol.test.ts, IPC in ipcInvoke.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { registerScheme } from './electronApp.js';
import { WINDOW_SIZES } from '../../shared/windows.js';
import { Emitter, FakeWebContents, makeElectron, PREFS, started, type FakeWindowLike } from './fakeElectron.test-util.js';

describe('registerScheme', () => {
  it('registers mosixview: as a secure standard scheme without CORS or fetch', () => {
    const fake = makeElectron();
    registerScheme(fake.main);
    expect(fake.privileged).toEqual([
      { scheme: 'mosixview', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
    ]);
  });
});

describe('startElectronApp', () => {
  let t: Awaited<ReturnType<typeof started>>;
  beforeEach(async () => {
    t = await started();
  });

  it('starts the service and opens one main window on the app entry, with the secure preferences', () => {
    expect(t.service.start).toHaveBeenCalledOnce();
    expect(t.windows).toHaveLength(1);
    const main = t.windows[0]!;
    expect(main.loaded).toEqual(['mosixview://app/index.html#/']);
    expect(main.options.webPreferences).toStrictEqual(PREFS);
  });

  it('gives windows opened with window.open to an app URL exactly the same preferences', () => {
    const main = t.windows[0]!;
    const reply = main.webContents.openHandler!({ url: 'mosixview://app/index.html#/node/3' });
    expect(reply.action).toBe('allow');
    expect(reply.overrideBrowserWindowOptions?.webPreferences).toStrictEqual(PREFS);
    // What Electron does with an "allow": a new window with the override options.
    const child = new t.BrowserWindow(reply.overrideBrowserWindowOptions!);
    void child.loadURL('mosixview://app/index.html#/node/3');
    // ...whose own contents are hardened in turn.
    const grandchild = child.webContents.openHandler!({ url: 'mosixview://app/index.html#/node/4' });
    expect(grandchild.overrideBrowserWindowOptions?.webPreferences).toStrictEqual(PREFS);
    expect(child.webContents.openHandler!({ url: 'https://example.org/' }).action).toBe('deny');
    for (const w of t.windows) expect(w.options.webPreferences).toStrictEqual(PREFS);
    expect(t.windows).toHaveLength(2);
  });

  it("opens each window at its route's own size (the table the renderer and the layout test use)", () => {
    const open = t.windows[0]!.webContents.openHandler!;
    const sizeOf = (route: string) => {
      const o = open({ url: `mosixview://app/index.html#/${route}` }).overrideBrowserWindowOptions!;
      return { width: o.width, height: o.height };
    };
    expect(t.windows[0]!.options).toMatchObject(WINDOW_SIZES.main);
    expect(sizeOf('node/3')).toEqual(WINDOW_SIZES.node);
    expect(sizeOf('node/all')).toEqual(WINDOW_SIZES.allNodes);
    expect(sizeOf('procs/2')).toEqual(WINDOW_SIZES.procs);
    expect(sizeOf('procs/all')).toEqual(WINDOW_SIZES.clusterProcs);
    expect(sizeOf('migrator/1/1.76')).toEqual(WINDOW_SIZES.migrator);
    expect(sizeOf('exec?node=1')).toEqual(WINDOW_SIZES.exec);
    expect(sizeOf('history/mem')).toEqual(WINDOW_SIZES.memHistory);
    expect(sizeOf('history/average/load/2/current/1/2')).toEqual(WINDOW_SIZES.average);
  });

  it('lets the page name its window: the title follows document.title (nothing holds it at "Mosixview")', () => {
    const main = t.windows[0]! as FakeWindowLike & Emitter;
    expect(main.listeners.get('page-title-updated') ?? []).toEqual([]);
    expect(main.webContents.listeners.get('page-title-updated') ?? []).toEqual([]);
  });

  it('denies window.open to anything that is not an app URL', () => {
    const open = t.windows[0]!.webContents.openHandler!;
    for (const url of [
      'https://example.org',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'about:blank',
      'mosixview://evil/index.html',
      'mosixview://user:pass@app/index.html',
      '',
    ]) {
      const reply = open({ url });
      expect(reply, url).toEqual({ action: 'deny' });
    }
    expect(open({ url: 'mosixview://app/index.html#/node/3' }).action).toBe('allow');
  });

  it('hardens every web contents, not only those of windows it created', () => {
    const wc = new FakeWebContents();
    t.app.fire('web-contents-created', {}, wc);
    expect(wc.openHandler!({ url: 'https://example.org' })).toEqual({ action: 'deny' });
    expect(wc.cancellable('will-navigate', 'https://example.org/')).toBe(true);
    expect(wc.cancellable('will-attach-webview', {}, {})).toBe(true);
  });

  it('prevents navigation and redirects away from the app, and allows them within it', () => {
    const wc = t.windows[0]!.webContents;
    for (const url of ['https://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'mosixview://other/index.html']) {
      expect(wc.cancellable('will-navigate', url), `navigate ${url}`).toBe(true);
      expect(wc.cancellable('will-redirect', url), `redirect ${url}`).toBe(true);
    }
    expect(wc.cancellable('will-navigate', 'mosixview://app/index.html#/node/2')).toBe(false);
    expect(wc.cancellable('will-redirect', 'mosixview://app/index.html')).toBe(false);
  });

  it('prevents attaching a <webview>', () => {
    const wc = t.windows[0]!.webContents;
    expect(wc.cancellable('will-attach-webview', { preload: '/evil.js' }, { src: 'mosixview://app/index.html' })).toBe(true);
  });

  it('answers every permission request with no', () => {
    const handler = t.permissionHandler();
    expect(handler).toBeTypeOf('function');
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      handler!({}, perm, cb);
      expect(cb, perm).toHaveBeenCalledExactlyOnceWith(false);
    }
  });

  it('forwards service events only to windows showing an app page', () => {
    const [main] = t.windows;
    const node = new t.BrowserWindow({ webPreferences: PREFS });
    void node.loadURL('mosixview://app/index.html#/node/2');
    const strayed = new t.BrowserWindow({ webPreferences: PREFS });
    strayed.webContents.url = 'https://example.org/'; // e.g. a navigation that slipped through
    const blank = new t.BrowserWindow({ webPreferences: PREFS }); // nothing loaded yet
    const gone = new t.BrowserWindow({ webPreferences: PREFS });
    void gone.loadURL('mosixview://app/index.html');
    gone.close();

    t.emit('cluster.views', { views: [{ id: 1, host: 'a', status: 'up' }] });
    const expected = [['mosixview:event', 'cluster.views', { views: [{ id: 1, host: 'a', status: 'up' }] }]];
    expect(main!.webContents.sent).toEqual(expected);
    expect(node.webContents.sent).toEqual(expected);
    expect(strayed.webContents.sent).toEqual([]);
    expect(blank.webContents.sent).toEqual([]);
    expect(gone.webContents.sent).toEqual([]);
  });

  it('forgets a window once it is closed, even before it reports destroyed', () => {
    const w = new t.BrowserWindow({ webPreferences: PREFS });
    void w.loadURL('mosixview://app/index.html');
    w.fire('closed');
    t.emit('hostKey.resolved', { promptId: 'p' });
    expect(w.webContents.sent).toEqual([]);
    expect(t.windows[0]!.webContents.sent).toHaveLength(1);
  });

  it('stops the service and quits when the last window closes', () => {
    expect(t.service.stop).not.toHaveBeenCalled();
    t.app.fire('window-all-closed');
    expect(t.service.stop).toHaveBeenCalledOnce();
    expect(t.quit).toHaveBeenCalledOnce();
  });
});
