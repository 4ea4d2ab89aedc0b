/**
 * The Electron wiring, run against a recording stand-in for the electron module (the
 * binary is not needed): every security rule main.ts relies on is checked here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClusterService } from '../core/clusterService.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';
import { secureWebPreferences } from '../security/webPreferences.js';
import { createInvokeHandler, registerScheme, startElectronApp, type ElectronMain } from './electronApp.js';
import { WINDOW_SIZES } from '../../shared/windows.js';

type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, cb: Listener): this {
    const list = this.listeners.get(event) ?? [];
    list.push(cb);
    this.listeners.set(event, list);
    return this;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const cb of this.listeners.get(event) ?? []) cb(...args);
  }
}

interface OpenReply {
  action: 'allow' | 'deny';
  overrideBrowserWindowOptions?: { webPreferences?: unknown; [k: string]: unknown };
}

class FakeWebContents extends Emitter {
  url = '';
  destroyed = false;
  readonly sent: unknown[][] = [];
  openHandler: ((details: { url: string }) => OpenReply) | undefined;
  getURL(): string {
    return this.url;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(h: (details: { url: string }) => OpenReply): void {
    this.openHandler = h;
  }
  /** Fires a cancellable event like Electron does; returns whether a listener prevented it. */
  cancellable(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.fire(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

interface FakeWindowLike {
  options: { webPreferences?: unknown; [k: string]: unknown };
  webContents: FakeWebContents;
  loaded: string[];
  destroyed: boolean;
  close(): void;
}

function makeElectron() {
  const app = new Emitter();
  const quit = vi.fn();
  const windows: FakeWindowLike[] = [];
  const handlers = new Map<string, Listener>();
  const protocols = new Map<string, (req: { url: string }) => Promise<Response>>();
  const privileged: unknown[] = [];
  let permissionHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;

  class BrowserWindow extends Emitter implements FakeWindowLike {
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    destroyed = false;
    constructor(readonly options: FakeWindowLike['options']) {
      super();
      windows.push(this);
      // Electron announces the new contents and window on the app object.
      app.fire('web-contents-created', {}, this.webContents);
      app.fire('browser-window-created', {}, this);
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      this.webContents.url = url;
      return Promise.resolve();
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    close(): void {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.fire('closed');
    }
  }

  const electron = {
    app: {
      on: (event: string, cb: Listener) => app.on(event, cb),
      whenReady: () => Promise.resolve(),
      quit,
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: Listener) => handlers.set(channel, fn) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
      handle: (scheme: string, fn: (req: { url: string }) => Promise<Response>) => protocols.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof permissionHandler) => (permissionHandler = h),
      },
    },
  };
  return {
    electron,
    main: electron as unknown as ElectronMain,
    app,
    quit,
    windows,
    handlers,
    protocols,
    privileged,
    BrowserWindow,
    permissionHandler: () => permissionHandler,
  };
}

function makeService() {
  const listeners = new Set<(event: string, data: unknown) => void>();
  const service = {
    dispatch: vi.fn(async (channel: unknown, req: unknown): Promise<unknown> => ({ channel, req })),
    subscribe: vi.fn((cb: (event: string, data: unknown) => void) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    }),
    start: vi.fn(),
    stop: vi.fn(),
  };
  return {
    service,
    asService: service as unknown as ClusterService,
    emit: (event: string, data: unknown) => listeners.forEach((l) => l(event, data)),
  };
}

const flush = () => new Promise<void>((r) => setImmediate(r));
const PRELOAD = '/opt/mosixview/dist/electron/preload.cjs';
const PREFS = secureWebPreferences(PRELOAD);

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mosixview-app-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Mosixview test</title>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log("app");');
  // A file next to (outside of) the renderer directory, which must never be served.
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(root, 'secret.js'), 'TOP SECRET');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function started() {
  const fake = makeElectron();
  const svc = makeService();
  startElectronApp(fake.main, svc.asService, { rendererDir, preload: PRELOAD });
  await flush();
  return { ...fake, ...svc };
}

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

  it('registers its IPC handler on "mosixview:invoke"', () => {
    expect([...t.handlers.keys()]).toEqual(['mosixview:invoke']);
  });

  it('refuses IPC from a foreign page, a subframe or no frame, without dispatching', async () => {
    const invoke = t.handlers.get('mosixview:invoke')!;
    const senders = [
      { senderFrame: { url: 'https://example.org/' } },
      { senderFrame: { url: 'file:///tmp/x.html' } },
      { senderFrame: { url: 'mosixview://app/index.html', parent: { url: 'mosixview://app/index.html' } } },
      { senderFrame: null },
    ];
    for (const ev of senders) {
      const reply = (await invoke(ev, 'cluster.get', null)) as { ok: boolean; error?: { code: string; message: string } };
      expect(reply.ok, JSON.stringify(ev)).toBe(false);
      expect(reply.error?.code).toBe('EPERM');
      expect(reply.error?.message).toMatch(/untrusted sender/);
    }
    expect(t.service.dispatch).not.toHaveBeenCalled();
  });

  it('passes IPC from the top frame of an app page to dispatch and wraps the result', async () => {
    const invoke = t.handlers.get('mosixview:invoke')!;
    const reply = await invoke({ senderFrame: { url: 'mosixview://app/index.html#/node/3', parent: null } }, 'node.procs', {
      nodeId: 3,
    });
    expect(t.service.dispatch).toHaveBeenCalledExactlyOnceWith('node.procs', { nodeId: 3 });
    expect(reply).toEqual({ ok: true, value: { channel: 'node.procs', req: { nodeId: 3 } } });
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

    t.emit('node.view', { id: 1, host: 'a', status: 'up' });
    const expected = [['mosixview:event', 'node.view', { id: 1, host: 'a', status: 'up' }]];
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

  describe('the mosixview: protocol handler', () => {
    const get = (url: string) => t.protocols.get('mosixview')!({ url });

    it('serves index.html with the content security policy', async () => {
      for (const url of ['mosixview://app/index.html', 'mosixview://app/', 'mosixview://app/index.html#/node/3']) {
        const res = await get(url);
        expect(res.status, url).toBe(200);
        expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
        expect(res.headers.get('content-type')).toBe('text/html');
        expect(await res.text()).toContain('Mosixview test');
      }
    });

    it('serves scripts with their type and the CSP', async () => {
      const res = await get('mosixview://app/app.js');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toBe('console.log("app");');
    });

    it('answers 404 to path traversal, plain or encoded', async () => {
      for (const url of [
        'mosixview://app/../../etc/passwd',
        'mosixview://app/../secret.txt',
        'mosixview://app/../secret.js',
        'mosixview://app/%2e%2e/secret.txt',
        'mosixview://app/%2E%2E/%2e%2e/etc/passwd',
        'mosixview://app/%2e%2e%2fsecret.txt',
        'mosixview://app/..%2fsecret.js',
        'mosixview://app/..%5csecret.js',
        'mosixview://app/%252e%252e/secret.txt',
        'mosixview://app/%',
      ]) {
        const res = await get(url);
        expect(res.status, url).toBe(404);
        expect(await res.text(), url).not.toContain('SECRET');
      }
    });

    it('answers 404 for other hosts, credentials and missing files', async () => {
      for (const url of [
        'mosixview://evil/index.html',
        'mosixview://app.evil/index.html',
        'mosixview://app:99/index.html',
        'mosixview://user:pass@app/index.html',
        'mosixview://app/missing.js',
      ]) {
        expect((await get(url)).status, url).toBe(404);
      }
    });
  });
});

describe('createInvokeHandler', () => {
  const trusted = { senderFrame: { url: 'mosixview://app/index.html' } };

  it('returns dispatch errors as data, keeping the RpcError code', async () => {
    const dispatch = vi.fn(async () => {
      throw new RpcError('ENONODE', 'there is no node 9 in this cluster');
    });
    const reply = await createInvokeHandler({ dispatch })(trusted, 'node.procs', { nodeId: 9 });
    expect(reply).toEqual({ ok: false, error: { code: 'ENONODE', message: 'there is no node 9 in this cluster' } });
  });

  it('gives a plain error the code EFAIL (or its errno code)', async () => {
    const plain = await createInvokeHandler({
      dispatch: async () => {
        throw new Error('boom');
      },
    })(trusted, 'cluster.get', null);
    expect(plain).toEqual({ ok: false, error: { code: 'EFAIL', message: 'boom' } });
    const errno = await createInvokeHandler({
      dispatch: async () => {
        throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      },
    })(trusted, 'cluster.get', null);
    expect(errno).toEqual({ ok: false, error: { code: 'ECONNREFUSED', message: 'refused' } });
  });

  it('refuses an untrusted sender with EPERM and never dispatches', async () => {
    const dispatch = vi.fn(async () => 'should not run');
    const reply = await createInvokeHandler({ dispatch })({ senderFrame: { url: 'https://example.org' } }, 'cluster.get', null);
    expect(reply).toMatchObject({ ok: false, error: { code: 'EPERM' } });
    expect(dispatch).not.toHaveBeenCalled();
  });
});
