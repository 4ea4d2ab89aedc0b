/**
 * A recording stand-in for the electron module and the cluster service, for the unit tests
 * of the Electron wiring (the binary is not needed).
 */
import { vi } from 'vitest';
import type { ApiService } from '../core/clusterTypes.js';
import { memoryLog } from '../core/memoryLog.test-util.js';
import { secureWebPreferences } from '../security/webPreferences.js';
import { startElectronApp, type ElectronMain } from './electronApp.js';

type Listener = (...args: unknown[]) => unknown;

export class Emitter {
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

export class FakeWebContents extends Emitter {
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

export interface FakeWindowLike {
  options: { webPreferences?: unknown; [k: string]: unknown };
  webContents: FakeWebContents;
  loaded: string[];
  destroyed: boolean;
  close(): void;
}

export function makeElectron() {
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

export function makeService() {
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
    asService: service as unknown as ApiService,
    emit: (event: string, data: unknown) => listeners.forEach((l) => l(event, data)),
  };
}


export const flush = () => new Promise<void>((r) => setImmediate(r));
export const PRELOAD = '/opt/mosixview/dist/electron/preload.cjs';
export const PREFS = secureWebPreferences(PRELOAD);

/** The app started on the fakes; `logged` holds what it wrote to the main-process log. */
export async function started(rendererDir = '/nonexistent/renderer') {
  const fake = makeElectron();
  const svc = makeService();
  const { log, logged } = memoryLog();
  startElectronApp(fake.main, svc.asService, { rendererDir, preload: PRELOAD }, log);
  await flush();
  return { ...fake, ...svc, logged };
}
