/**
 * The headless server for real, as its tests use it: HTTP and WebSocket on 127.0.0.1, with
 * the `ws` package as the client and a fake service behind the API.
 */
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import WebSocket from 'ws';
import type { ApiService } from '../core/clusterTypes.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { startHeadlessServer, type HeadlessServer } from './headlessServer.js';

type Listener = (event: string, data: unknown) => void;

export function makeService() {
  const listeners = new Set<Listener>();
  const calls: [unknown, unknown][] = [];
  const snapshot = { name: 'test cluster', source: 'profile', nodes: [{ id: 1, host: 'n1', status: 'up' }], hostKeyPrompts: [] };
  const service = {
    async dispatch(channel: unknown, req: unknown): Promise<unknown> {
      calls.push([channel, req]);
      if (channel === 'cluster.get') return snapshot;
      if (channel === 'node.procs') throw new RpcError('ENONODE', 'there is no node 9 in this cluster');
      return null;
    },
    subscribe(cb: Listener) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  return {
    service: service as unknown as ApiService,
    calls,
    snapshot,
    listeners,
    emit: (event: string, data: unknown) => listeners.forEach((l) => l(event, data)),
  };
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET: the path is sent exactly as given (fetch would normalise "/../"). */
export function get(port: number, path: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Tries a WebSocket upgrade; resolves with the open socket or the HTTP status of the refusal. */
export function connect(url: string, origin?: string, cookie?: string): Promise<{ ws?: WebSocket; status?: number; error?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { ...(origin ? { origin } : {}), ...(cookie ? { headers: { cookie } } : {}) });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (e) => resolve({ error: e.message }));
  });
}

/** Collects parsed JSON messages from a socket. */
export function collector(ws: WebSocket) {
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (d) => {
    for (const line of d.toString().split('\n')) if (line.trim()) messages.push(JSON.parse(line) as Record<string, unknown>);
  });
  return {
    messages,
    async next(pred: (m: Record<string, unknown>) => boolean, timeoutMs = 3000): Promise<Record<string, unknown>> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const m = messages.find(pred);
        if (m) return m;
        if (Date.now() > end) throw new Error(`no matching message; got ${JSON.stringify(messages)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/** The path and query of a login URL: "/?code=...". */
export const loginPath = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/**
 * A renderer directory (with files beside it that must never be served) for the whole file,
 * and a fresh server with a fake service for each test; the fields change per test.
 */
export function headlessServerFixture() {
  const h = {
    root: '',
    rendererDir: '',
    server: undefined as unknown as HeadlessServer,
    port: 0,
    svc: undefined as unknown as ReturnType<typeof makeService>,
    sockets: [] as WebSocket[],
    apiUrl: () => `ws://127.0.0.1:${h.port}/api`,
    /** Signs in as a browser would: the login URL's code for the session cookie. */
    async signIn(): Promise<string> {
      const r = await get(h.port, loginPath(h.server.loginUrl()));
      expect(r.status).toBe(303);
      const set = r.headers['set-cookie']![0]!;
      return set.split(';')[0]!;
    },
    async open(cookie: string | undefined, origin?: string) {
      const r = await connect(h.apiUrl(), origin, cookie);
      if (r.ws) h.sockets.push(r.ws);
      return r;
    },
  };
  beforeAll(() => {
    h.root = mkdtempSync(join(tmpdir(), 'mosixview-headless-'));
    h.rendererDir = join(h.root, 'renderer');
    mkdirSync(h.rendererDir);
    writeFileSync(join(h.rendererDir, 'index.html'), '<!doctype html><title>Mosixview headless test</title><script src="app.js"></script>');
    writeFileSync(join(h.rendererDir, 'app.js'), 'console.log("headless");');
    writeFileSync(join(h.rendererDir, 'notes.txt'), 'not a served type');
    // Files outside the renderer directory that must never be served.
    writeFileSync(join(h.root, 'package.json'), '{"secret":"TOP SECRET"}');
    writeFileSync(join(h.root, 'secret.js'), 'TOP SECRET');
  });
  afterAll(() => rmSync(h.root, { recursive: true, force: true }));
  beforeEach(async () => {
    h.svc = makeService();
    h.server = await startHeadlessServer(h.svc.service, { rendererDir: h.rendererDir });
    h.port = Number(new URL(h.server.origin).port);
  });
  afterEach(async () => {
    for (const s of h.sockets.splice(0)) s.terminate();
    await h.server.close();
  });
  return h;
}
