/**
 * The headless server for real: HTTP and WebSocket on 127.0.0.1, with the `ws` package
 * as the client and a fake service behind the API.
 */
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiService } from '../core/clusterTypes.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';
import { startHeadlessServer, type HeadlessServer } from './headlessServer.js';

type Listener = (event: string, data: unknown) => void;

function makeService() {
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

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET: the path is sent exactly as given (fetch would normalise "/../"). */
function get(port: number, path: string): Promise<HttpReply> {
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
function connect(url: string, origin?: string, cookie?: string): Promise<{ ws?: WebSocket; status?: number; error?: string }> {
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
function collector(ws: WebSocket) {
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

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mosixview-headless-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Mosixview headless test</title><script src="app.js"></script>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log("headless");');
  writeFileSync(join(rendererDir, 'notes.txt'), 'not a served type');
  // Files outside the renderer directory that must never be served.
  writeFileSync(join(root, 'package.json'), '{"secret":"TOP SECRET"}');
  writeFileSync(join(root, 'secret.js'), 'TOP SECRET');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('startHeadlessServer', () => {
  let server: HeadlessServer;
  let port: number;
  let svc: ReturnType<typeof makeService>;
  const sockets: WebSocket[] = [];

  const apiUrl = () => `ws://127.0.0.1:${port}/api`;
  /** The path and query of a login URL: "/?code=...". */
  const loginPath = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };

  beforeEach(async () => {
    svc = makeService();
    server = await startHeadlessServer(svc.service, { rendererDir });
    port = Number(new URL(server.origin).port);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.terminate();
    await server.close();
  });

  /** Signs in as a browser would: the login URL's code for the session cookie. */
  async function signIn(): Promise<string> {
    const r = await get(port, loginPath(server.loginUrl()));
    expect(r.status).toBe(303);
    const set = r.headers['set-cookie']![0]!;
    return set.split(';')[0]!;
  }

  async function open(cookie: string | undefined, origin?: string) {
    const r = await connect(apiUrl(), origin, cookie);
    if (r.ws) sockets.push(r.ws);
    return r;
  }

  it('listens on 127.0.0.1 only; a login URL carries a random one-time code', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(port).toBeGreaterThan(0);
    const url = server.loginUrl();
    expect(url).toMatch(new RegExp(`^${server.origin}/\\?code=[\\w-]{32,}#/$`));
    expect(server.loginUrl()).not.toBe(url);
  });

  it('exchanges a code at / for an HttpOnly, SameSite=Strict session cookie of this port', async () => {
    const r = await get(port, loginPath(server.loginUrl()));
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const [cookie] = r.headers['set-cookie']!;
    expect(cookie).toMatch(new RegExp(`^mosixview-${port}=[\\w-]{32,}; Path=/; HttpOnly; SameSite=Strict$`));
    // The code is not the session: it does not open the API.
    const code = new URL(server.loginUrl()).searchParams.get('code')!;
    expect((await open(`mosixview-${port}=${code}`, server.origin)).status).toBe(403);
  });

  it('refuses a code used before, an expired one and a made-up one (403, no cookie)', async () => {
    const url = server.loginUrl();
    expect((await get(port, loginPath(url))).status).toBe(303);
    const expired = server.loginUrl(1);
    await new Promise((r) => setTimeout(r, 20));
    for (const path of [loginPath(url), loginPath(expired), '/?code=made-up', `/?code=`]) {
      const r = await get(port, path);
      expect(r.status, path).toBe(403);
      expect(r.headers['set-cookie'], path).toBeUndefined();
      expect(r.body).toMatch(/already used or has expired.*press Enter in the terminal/s);
    }
  });

  it('tells the owner of a login code when it was used', async () => {
    const used: string[] = [];
    const url = server.loginUrl(60_000, () => used.push('once'));
    expect(used).toEqual([]);
    await get(port, loginPath(url));
    await get(port, loginPath(url));
    expect(used).toEqual(['once']);
  });

  it('refuses a WebSocket without the session cookie, or with a wrong one (403)', async () => {
    const good = await signIn();
    const [name, value] = good.split('=') as [string, string];
    for (const bad of [undefined, '', `${name}=`, `${name}=x`, `${name}=${value.slice(0, -1)}`, `${name}=${value}x`, `mosixview-${port + 1}=${value}`, `other=${value}`]) {
      const r = await open(bad, server.origin);
      expect(r.ws, `cookie ${JSON.stringify(bad)}`).toBeUndefined();
      expect(r.status).toBe(403);
    }
    expect(svc.listeners.size).toBe(0);
  });

  it('refuses the right cookie from a foreign Origin, or with no Origin (403)', async () => {
    const cookie = await signIn();
    for (const origin of ['http://evil.example', `http://localhost:${port}`, `https://127.0.0.1:${port}`, 'null', undefined]) {
      const r = await open(cookie, origin);
      expect(r.ws, `origin ${origin}`).toBeUndefined();
      expect(r.status).toBe(403);
    }
    expect(svc.calls).toEqual([]);
  });

  it('refuses the right cookie and origin on a path other than /api', async () => {
    const r = await connect(`ws://127.0.0.1:${port}/other`, server.origin, await signIn());
    if (r.ws) sockets.push(r.ws);
    expect(r.status).toBe(403);
  });

  it('serves the API over JSON lines to a signed-in browser from its own origin, among other cookies', async () => {
    const { ws } = await open(`theme=dark; ${await signIn()}; other=1`, server.origin);
    expect(ws).toBeDefined();
    const c = collector(ws!);
    ws!.send(JSON.stringify({ id: 1, method: 'cluster.get', params: null }));
    const reply = await c.next((m) => m.id === 1);
    expect(reply).toEqual({ id: 1, result: svc.snapshot });
    expect(svc.calls).toEqual([['cluster.get', null]]);
  });

  it('a signed-in browser opening a login link again just goes on', async () => {
    const cookie = await signIn();
    const r = await new Promise<HttpReply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/?code=used-or-not', headers: { cookie } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
      });
      req.on('error', reject);
      req.end();
    });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('returns errors with their code, and refuses unknown methods', async () => {
    const { ws } = await open(await signIn(), server.origin);
    const c = collector(ws!);
    ws!.send(JSON.stringify({ id: 2, method: 'node.procs', params: { nodeId: 9 } }));
    ws!.send(JSON.stringify({ id: 3, method: 'constructor', params: null }));
    expect(await c.next((m) => m.id === 2)).toEqual({
      id: 2,
      error: { code: 'ENONODE', message: 'there is no node 9 in this cluster' },
    });
    expect(await c.next((m) => m.id === 3)).toMatchObject({ id: 3, error: { code: 'ENOMETHOD' } });
    expect(svc.calls).toEqual([['node.procs', { nodeId: 9 }]]);
  });

  it('sends service events to connected clients, and stops when they leave', async () => {
    const { ws } = await open(await signIn(), server.origin);
    const c = collector(ws!);
    expect(svc.listeners.size).toBe(1);
    svc.emit('node.view', { id: 1, host: 'n1', status: 'down', reason: 'unreachable' });
    expect(await c.next((m) => m.event === 'node.view')).toEqual({
      event: 'node.view',
      data: { id: 1, host: 'n1', status: 'down', reason: 'unreachable' },
    });
    ws!.close();
    await new Promise<void>((r) => ws!.once('close', () => r()));
    const end = Date.now() + 3000;
    while (svc.listeners.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(svc.listeners.size).toBe(0);
  });

  it('closes a client that sends something that is not protocol', async () => {
    const { ws } = await open(await signIn(), server.origin);
    const closed = new Promise<number>((r) => ws!.once('close', (code) => r(code)));
    ws!.send('this is not json');
    expect(await closed).toBe(1008);
  });

  it('serves index.html at / with the CSP and hardening headers', async () => {
    for (const path of ['/', '/index.html']) {
      const r = await get(port, path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.body).toContain('Mosixview headless test');
    }
    const js = await get(port, '/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("headless");');
  });

  it('answers 404 to path traversal, plain or encoded', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/package.json',
      '/../secret.js',
      '/%2e%2e/secret.js',
      '/%2e%2e%2fsecret.js',
      '/..%2fsecret.js',
      '/..%5csecret.js',
      '/..\\secret.js',
      '//../secret.js',
    ]) {
      const r = await get(port, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('SECRET');
    }
  });

  it('answers 404 to unknown extensions, missing files and non-GET methods', async () => {
    expect((await get(port, '/notes.txt')).status).toBe(404);
    expect((await get(port, '/index')).status).toBe(404);
    expect((await get(port, '/missing.js')).status).toBe(404);
    const post = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/index.html', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(post).toBe(404);
  });

  it('close() disconnects clients, unsubscribes and stops listening', async () => {
    const { ws } = await open(await signIn(), server.origin);
    expect(svc.listeners.size).toBe(1);
    const closed = new Promise<void>((r) => ws!.once('close', () => r()));
    await server.close();
    await closed;
    expect(svc.listeners.size).toBe(0);
    await expect(get(port, '/')).rejects.toThrow(/ECONNREFUSED/);
    const again = await connect(apiUrl(), server.origin);
    expect(again.ws).toBeUndefined();
    expect(again.error).toMatch(/ECONNREFUSED/);
    // afterEach closes again: that must be harmless.
  });
});
